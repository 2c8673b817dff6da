// The app's own behaviour. Loaded on every page; each part checks that its elements exist.
"use strict";
