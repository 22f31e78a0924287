"""The deployment is the unit: processes sharing a store sign in, refresh and risk a lockout once, all together."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY, PASSWORD, USERNAME
from tests.fleet.conftest import Fleet
from tests.redis_server import RedisServer

WRONG = "Wrong-Fleet-Canary-2e8d41"


def hosts(fleet: Fleet, store: str, *, count: int, per_host: int, **options: object) -> list[dict[str, str]]:
    """Environments for `count` hosts (own HOME and cache directory) of `per_host` processes each."""
    return [fleet.env(store, host=f"host-{h}", **options) for h in range(count) for _ in range(per_host)]  # type: ignore[arg-type]


class TestOneHost:
    def test_eight_workers_started_together_sign_in_once(
        self, fleet: Fleet, idp: EntraEmulator, cache_dir: Path
    ) -> None:
        """8 prefork-style workers sharing a cache directory: 1 password grant, and all 8 hold the same token."""
        reports = fleet.run_together([fleet.env(f"files:{cache_dir}") for _ in range(8)])
        assert [r.get("error") for r in reports] == [None] * 8
        assert len({tuple(r["tokens"]) for r in reports}) == 1  # type: ignore[arg-type]
        assert idp.count("token", grant_type="password") == 1

    def test_eight_workers_with_a_wrong_password_make_at_most_one_attempt(
        self, fleet: Fleet, idp: EntraEmulator, cache_dir: Path
    ) -> None:
        """With a wrong password, one attempt reaches Entra ID; every worker gets InvalidCredentialsError."""
        reports = fleet.run_together([fleet.env(f"files:{cache_dir}", password=WRONG) for _ in range(8)])
        assert {r.get("error") for r in reports} == {"InvalidCredentialsError"}
        assert sum(not r["guarded"] for r in reports) <= 1
        assert idp.count("token", grant_type="password") <= 1


class TestRedisFleet:
    def test_three_hosts_of_four_processes_sign_in_once(
        self, fleet: Fleet, idp: EntraEmulator, redis_server: RedisServer
    ) -> None:
        """12 processes on 3 hosts sharing one Redis: 1 password grant and one token for all."""
        reports = fleet.run_together(hosts(fleet, f"redis:{redis_server.url}", count=3, per_host=4))
        assert [r.get("error") for r in reports] == [None] * 12
        assert len({tuple(r["tokens"]) for r in reports}) == 1  # type: ignore[arg-type]
        assert idp.count("token", grant_type="password") == 1

    def test_a_wrong_password_reaches_entra_at_most_once_across_the_fleet(
        self, fleet: Fleet, idp: EntraEmulator, redis_server: RedisServer
    ) -> None:
        """Wrong password on 12 processes: at most one attempt; then a new password releases everyone."""
        reports = fleet.run_together(hosts(fleet, f"redis:{redis_server.url}", count=3, per_host=4, password=WRONG))
        assert {r.get("error") for r in reports} == {"InvalidCredentialsError"}
        assert idp.count("token", grant_type="password") <= 1
        again = fleet.run_together(hosts(fleet, f"redis:{redis_server.url}", count=1, per_host=3, password=WRONG))
        assert [r["guarded"] for r in again] == [True] * 3
        assert idp.count("token", grant_type="password") <= 1
        rotated = fleet.run_together(hosts(fleet, f"redis:{redis_server.url}", count=2, per_host=2))
        assert [r.get("error") for r in rotated] == [None] * 4
        assert idp.count("token", grant_type="password") <= 2

    def test_twelve_processes_refresh_a_token_once_per_refresh_window(
        self, fleet: Fleet, idp: EntraEmulator, redis_server: RedisServer
    ) -> None:
        """Holding a token through its refresh window, 12 processes send at most 2 refresh grants in all."""
        idp.latency = 0.05
        idp.refresh_in = 3
        reports = fleet.run_together(hosts(fleet, f"redis:{redis_server.url}", count=3, per_host=4, hold=4.5))
        assert [r["failures"] for r in reports] == [0] * 12
        assert idp.count("token", grant_type="password") == 1
        assert 1 <= idp.count("token", grant_type="refresh_token") <= 2
        assert all(len(r["tokens"]) == 2 for r in reports)  # type: ignore[arg-type]


class TestRedisOutages:
    @pytest.mark.parametrize("outage", ["paused", "killed"])
    def test_the_fleet_keeps_working_when_redis_fails(
        self, fleet: Fleet, idp: EntraEmulator, redis_server: RedisServer, outage: str
    ) -> None:
        """Processes holding a token never fail; a cold process still gets a token within 5 s."""
        store = f"redis:{redis_server.url}"
        holders = fleet.start_together(hosts(fleet, store, count=2, per_host=2, hold=6))
        time.sleep(2)
        redis_server.pause() if outage == "paused" else redis_server.kill()
        try:
            cold = fleet.report(fleet.spawn(fleet.env(store, host="host-cold")))
            assert cold.get("error") is None
            assert float(cold["first_ms"]) < 5000  # type: ignore[arg-type]
            assert [fleet.report(p)["failures"] for p in holders] == [0] * 4
        finally:
            redis_server.resume() if outage == "paused" else redis_server.start()

    def test_redis_back_serves_its_token_with_no_request(
        self, fleet: Fleet, idp: EntraEmulator, redis_server: RedisServer
    ) -> None:
        """After SIGSTOP and SIGCONT, a new process reads the shared token: zero requests to Entra ID."""
        store = f"redis:{redis_server.url}"
        fleet.report(fleet.spawn(fleet.env(store)))
        redis_server.pause()
        time.sleep(0.5)
        redis_server.resume()
        idp.clear_requests()
        report = fleet.report(fleet.spawn(fleet.env(store, host="host-new")))
        assert report.get("error") is None
        assert idp.requests == []

    def test_a_redis_that_restarted_empty_is_refilled_by_the_survivors(
        self, fleet: Fleet, idp: EntraEmulator, redis_server: RedisServer
    ) -> None:
        """A process that signed in while Redis was down writes its token back once Redis returns empty."""
        store = f"redis:{redis_server.url}"
        redis_server.kill()
        survivor = fleet.spawn(fleet.env(store, hold=9))
        time.sleep(2.5)
        redis_server.start()
        time.sleep(6.5)  # the survivor's breaker probes again after its cooldown and writes back
        idp.clear_requests()
        report = fleet.report(fleet.spawn(fleet.env(store, host="host-new")))
        assert report.get("error") is None
        assert idp.requests == []
        assert fleet.report(survivor)["failures"] == 0

    def test_a_store_that_never_answers_costs_a_cold_process_a_bounded_delay(
        self, fleet: Fleet, idp: EntraEmulator, tmp_path: Path
    ) -> None:
        """With nothing listening at the Redis URL, processes sign in on their own and still work."""
        from tests.redis_server import free_port

        report = fleet.report(fleet.spawn(fleet.env(f"redis:redis://127.0.0.1:{free_port()}/0")))
        assert report.get("error") is None
        assert float(report["first_ms"]) < 5000  # type: ignore[arg-type]


def test_nothing_in_redis_or_the_cache_directory_is_readable(
    fleet: Fleet, idp: EntraEmulator, redis_server: RedisServer, cache_dir: Path
) -> None:
    """After sign-ins, refreshes and a rejected password: no token, refresh token, password or username in clear."""
    idp.refresh_in = 1
    for store in (f"redis:{redis_server.url}", f"files:{cache_dir}"):
        fleet.run_together([fleet.env(store, hold=1.5) for _ in range(2)])
        fleet.run_together([fleet.env(store, password=WRONG)])
    secrets = [PASSWORD, WRONG, USERNAME, USERNAME.split("@")[0], CACHE_KEY, *idp.issued_refresh_tokens()]
    stored = list(redis_server.entries().items()) + [
        (p.name.encode(), p.read_bytes()) for p in cache_dir.iterdir() if p.is_file()
    ]
    assert len(stored) > 8
    for name, value in stored:
        for secret in secrets:
            assert secret.encode() not in name + value
    assert idp.count("token", grant_type="refresh_token") >= 1
