from __future__ import annotations

import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_it_answers_200_when_database_and_broker_answer(anonymous_client) -> None:
    response = anonymous_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_it_answers_503_naming_the_broker_when_the_broker_is_down(
    anonymous_client, broker_down
) -> None:
    response = anonymous_client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "unavailable"}


@pytest.mark.django_db
def test_it_answers_503_naming_the_database_when_it_is_down(anonymous_client, monkeypatch) -> None:
    def refuse(*_args, **_kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = anonymous_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_it_refuses_post(anonymous_client) -> None:
    assert anonymous_client.post("/healthz").status_code == 405
