// Loaded in <head>, before the page is drawn: marks <html> with "js" so the stylesheet can hide
// follow-up questions from the first paint (no layout shift when intake_form.js runs). Without
// JavaScript the class is never set and every question shows, with its hint.
"use strict";
document.documentElement.classList.add("js");
