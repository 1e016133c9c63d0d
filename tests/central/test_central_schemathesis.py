"""Schemathesis against the OpenAPI document of a real central process: no input,
however odd, gets a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from kiosk.central.storage import open_storage
from tests.central.centralkit import ServerProcess

TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp: Path = tmp_path_factory.mktemp("schemathesis")
    server = ServerProcess(f"sqlite:///{tmp / 'central.db'}", tmp)
    try:
        storage = open_storage(server.db_url, pool_size=1)
        issued = storage.add_station("Fuzzed", datetime.now(UTC), timedelta(days=1))
        storage.close()
        reply = httpx.post(server.base_url + "/api/v1/enrol",
                           json={"code": issued.code, "protocol_version": 2}, timeout=10)
        TOKEN["value"] = reply.json()["token"]
        TOKEN["station"] = reply.json()["station_id"]
        yield schemathesis.openapi.from_url(server.base_url + "/api/v1/openapi.json")
    finally:
        server.stop()


@pytest.mark.slow
def test_no_input_gets_a_server_error(api_schema: Any) -> None:
    # Schemathesis' own pytest plugin does not work with this pytest; its engine's
    # hypothesis strategies do, one operation at a time.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6
    headers = {"Authorization": f"Bearer {TOKEN['value']}"}
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def no_server_error(case: Any) -> None:
            # a real token, so push and pull get past authentication to the body checks
            response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
            statuses.append(response.status_code)

        no_server_error()
    # it really talked to the server, and both accepted and refused some input
    assert len(statuses) > 100
    assert any(200 <= code < 300 for code in statuses)
    assert any(400 <= code < 500 for code in statuses)
    assert not any(code >= 500 for code in statuses)
