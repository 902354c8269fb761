"""``ordergroove feed build|upload`` and ``ordergroove products sync``: as subprocesses and in-process."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sftp_server import MERCHANT, PASSWORD, USERNAME, SFTPServer

from ordergroove import cli
from ordergroove.cli import _main as cli_main
from ordergroove.testing import FakeOrdergroove


def good(n: int, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": f"Coffee & tea {n}",
        "product_id": f"p-{n}",
        "sku": f"SKU-{n}",
        "price": "19.90",
        "details_url": f"https://shop.example/{n}",
        "image_url": f"https://cdn.example/{n}.png",
        "in_stock": True,
    }
    row.update(changes)
    return row


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(cwd), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "ordergroove", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        cwd=cwd,
    )


def feed_ids(path: Path) -> list[str]:
    return [element.text or "" for element in ET.parse(path).getroot().iter("product_id")]


def test_feed_build_writes_the_good_rows_and_reports_the_refused(tmp_path: Path) -> None:
    catalog = write_jsonl(
        tmp_path / "catalog.jsonl",
        [good(1), good(2, price="19.999"), good(3, image_url="http://cdn.example/3.png"), good(4)],
    )
    result = run("feed", "build", "catalog.jsonl", "-o", "feed.xml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert feed_ids(tmp_path / "feed.xml") == ["p-1", "p-4"]
    lines = result.stderr.splitlines()
    assert lines[0].startswith("catalog.jsonl:2: refused: price: must have at most two decimals")
    assert lines[1].startswith("catalog.jsonl:3: refused: image_url: must be an absolute https URL")
    assert lines[2] == "wrote 2 products to feed.xml, refused 2 rows"
    assert sorted(os.listdir(tmp_path)) == ["catalog.jsonl", "feed.xml"]
    assert catalog.exists()


def test_feed_build_with_nothing_to_write_or_strict_writes_nothing(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "bad.jsonl", [good(1, price="0")])
    write_jsonl(tmp_path / "mixed.jsonl", [good(1), good(2, sku="")])
    empty = run("feed", "build", "bad.jsonl", "-o", "feed.xml", cwd=tmp_path)
    assert empty.returncode == 1 and "no product could be written; feed.xml not written" in empty.stderr
    strict = run("feed", "build", "mixed.jsonl", "-o", "feed.xml", "--strict", cwd=tmp_path)
    assert strict.returncode == 1 and "1 rows refused (--strict)" in strict.stderr
    assert sorted(os.listdir(tmp_path)) == ["bad.jsonl", "mixed.jsonl"]
    missing = run("feed", "build", "nope.csv", "-o", "feed.xml", cwd=tmp_path)
    assert (
        missing.returncode == 1
        and 'the catalog "nope.csv" does not exist' in missing.stderr
        and "Traceback" not in missing.stderr
    )


def test_feed_build_in_process_from_csv(tmp_path: Path) -> None:
    (tmp_path / "catalog.csv").write_text(
        "name,product_id,sku,price,details_url,image_url,in_stock\n"
        "Tea,t-1,T1,5,https://shop.example/t,https://cdn.example/t.png,1\n"
        "Bad,t-2,T2,-1,https://shop.example/t,https://cdn.example/t.png,1\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    argv = ["feed", "build", str(tmp_path / "catalog.csv"), "-o", str(tmp_path / "feed.xml")]
    assert cli.main(argv, out=out, err=err) == 0
    assert feed_ids(tmp_path / "feed.xml") == ["t-1"]
    assert f"{tmp_path / 'catalog.csv'}:3: refused: price" in err.getvalue()


@pytest.fixture
def sftp(tmp_path: Path) -> Iterator[SFTPServer]:
    root = tmp_path / "server"
    (root / "incoming").mkdir(parents=True)
    server = SFTPServer(root)
    try:
        yield server
    finally:
        server.close()


def test_feed_upload_as_a_subprocess(tmp_path: Path, sftp: SFTPServer) -> None:
    write_jsonl(tmp_path / "catalog.jsonl", [good(1)])
    assert run("feed", "build", "catalog.jsonl", "-o", "feed.xml", cwd=tmp_path).returncode == 0
    args = ["feed", "upload", "feed.xml", "--merchant-id", MERCHANT, "--host", "127.0.0.1"]
    args += ["--port", str(sftp.port), "--username", USERNAME, "--host-key", sftp.public_key]
    no_password = run(*args, cwd=tmp_path)
    assert no_password.returncode == 1 and "ORDERGROOVE_FEED_PASSWORD" in no_password.stderr
    result = run(*args, cwd=tmp_path, env={"ORDERGROOVE_FEED_PASSWORD": PASSWORD})
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"uploaded feed.xml to /incoming/{MERCHANT}.Products.xml\n"
    uploaded = sftp.state.root / "incoming" / f"{MERCHANT}.Products.xml"
    assert uploaded.read_bytes() == (tmp_path / "feed.xml").read_bytes()
    wrong = run(*args, cwd=tmp_path, env={"ORDERGROOVE_FEED_PASSWORD": "wrong-password"})
    assert (
        wrong.returncode == 1
        and "ordergroove: error: the feed was not uploaded: SFTP upload" in wrong.stderr
        and "wrong-password" not in wrong.stderr
    )


def test_feed_upload_in_process_with_known_hosts(
    tmp_path: Path, sftp: SFTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_jsonl(tmp_path / "catalog.jsonl", [good(1)])
    assert cli.main(["feed", "build", str(tmp_path / "catalog.jsonl"), "-o", str(tmp_path / "f.xml")]) == 0
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{sftp.port} {sftp.public_key}\n", encoding="utf-8")
    monkeypatch.setenv("ORDERGROOVE_FEED_PASSWORD", PASSWORD)
    monkeypatch.setenv("HOME", str(tmp_path))  # the user's own known_hosts plays no part
    out = io.StringIO()
    argv = ["feed", "upload", str(tmp_path / "f.xml"), "--merchant-id", MERCHANT, "--host", "127.0.0.1"]
    argv += ["--port", str(sftp.port), "--username", USERNAME, "--known-hosts", str(known)]
    assert cli.main(argv, out=out, err=io.StringIO()) == 0
    assert os.listdir(sftp.state.root / "incoming") == [f"{MERCHANT}.Products.xml"]


def test_products_sync_sandbox_as_a_subprocess(tmp_path: Path) -> None:
    rows = [good(n) for n in range(1, 151)] + [
        good(999, price="abc"),
        good(1000, name="Mug", product_id="TEA-GREEN-50"),
    ]
    write_jsonl(tmp_path / "catalog.jsonl", rows)
    result = run("--sandbox", "products", "sync", "catalog.jsonl", cwd=tmp_path)
    assert result.returncode == 1  # a row was refused
    assert result.stdout == "150 created, 1 updated, 0 refused by Ordergroove, 1 rows refused in catalog.jsonl\n"
    assert "catalog.jsonl:151: refused: price" in result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("products sync:")]
    assert progress == ["products sync: 100 sent, 100 ok, 0 refused", "products sync: 151 sent, 151 ok, 0 refused"]


def test_products_sync_in_process_reaches_the_emulator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeOrdergroove.demo()
    monkeypatch.setattr(cli_main, "_client", lambda args, **options: fake.client(**options))
    write_jsonl(tmp_path / "catalog.jsonl", [good(1), good(2, product_id="TEA-GREEN-50", price="3.10")])
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["products", "sync", str(tmp_path / "catalog.jsonl")], out=out, err=err) == 0
    assert (
        out.getvalue()
        == "1 created, 1 updated, 0 refused by Ordergroove, 0 rows refused in " + str(tmp_path / "catalog.jsonl") + "\n"
    )
    assert fake.products["TEA-GREEN-50"]["price"] == "3.10"
    assert Decimal(fake.products["p-1"]["price"]) == Decimal("19.90")
    # create only: what exists is refused by Ordergroove, and the exit status says so.
    out = io.StringIO()
    argv = ["products", "sync", str(tmp_path / "catalog.jsonl"), "--mode", "create"]
    assert cli.main(argv, out=out, err=err) == 1
    assert out.getvalue().startswith("0 created, 0 updated, 2 refused by Ordergroove")
    assert "product p-1: refused by Ordergroove (400)" in err.getvalue()


def _failing_client(fake: FakeOrdergroove, fault: str) -> Any:
    """A client of the emulator whose second products-batch request meets ``fault``: "refused" (a 429 with no retry
    left) or "dropped" (applied, then the connection lost)."""
    import httpx

    answered = [0]

    def before_request(request: httpx.Request) -> None:
        if fault == "interrupted" and "products-batch" in request.url.path and answered[0] == 1:
            raise KeyboardInterrupt  # Ctrl-C as request 2 leaves

    def after_response(response: httpx.Response) -> None:
        if "products-batch" in response.request.url.path:
            answered[0] += 1
            if answered[0] == 1 and fault == "refused":
                fake.batch_rate_limit = 1
            elif answered[0] == 1 and fault == "dropped":
                fake.faults.add(drop="after")

    hooks: dict[str, list[Callable[..., Any]]] = {"request": [before_request], "response": [after_response]}
    http = httpx.Client(transport=fake.transport(), event_hooks=hooks)
    return fake.client(http_client=http, max_retries=0)


@pytest.mark.parametrize(("fault", "status"), [("refused", 1), ("dropped", 3), ("interrupted", 130)])
def test_products_sync_stopped_by_a_failed_request_says_what_was_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str, status: int
) -> None:
    fake = FakeOrdergroove(seed=1)
    monkeypatch.setattr(cli_main, "_client", lambda args, **options: _failing_client(fake, fault))
    catalog = write_jsonl(tmp_path / "catalog.jsonl", [good(n) for n in range(1, 251)])
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["products", "sync", str(catalog), "--mode", "create"], out=out, err=err) == status
    # The first request's 100 products were applied, and the summary counts them.
    assert out.getvalue() == f"100 created, 0 updated, 0 refused by Ordergroove, 0 rows refused in {catalog}\n"
    said = err.getvalue()
    cause = "an interruption" if fault == "interrupted" else "a failed request"
    assert f"products sync: stopped by {cause}; what was sent before it was applied (the summary counts it)" in said
    second = ", ".join(f"p-{n}" for n in range(101, 201))
    if fault == "refused":
        assert f"products sync: 100 not applied: {second}\n" in said and "unknown outcome" not in said
        assert "ordergroove: error: over Ordergroove's rate limit: try again shortly (429)" in said
        assert len(fake.products) == 100
    else:
        assert "products sync: 100 of unknown outcome (they may have been applied; check them" in said
        assert f": {second}\n" in said and "not applied:" not in said
        if fault == "dropped":
            assert "ordergroove: the outcome is unknown" in said
            assert len(fake.products) == 200  # the dropped request was in fact applied
        else:
            assert "ordergroove: interrupted" in said and len(fake.products) == 100
    assert f"products sync: the rest of {catalog} after them was not sent" in said
    assert not re.search(r"\b[A-Z]\w*(?:Error|Exception)\b|\.results|\.unknown", said), said  # an operator's words
    # The third chunk was never sent (nor, interrupted as it left, the second).
    assert [r.path for r in fake.requests].count("/products-batch/create/") == (1 if fault == "interrupted" else 2)


def test_products_sync_interrupted_between_requests_still_sums_up_what_was_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl-C while the catalog is read (no request on its way): the first request's products were applied.
    from ordergroove.cli import _catalog

    fake = FakeOrdergroove(seed=1)
    monkeypatch.setattr(cli_main, "_client", lambda args, **options: fake.client())
    rows = _catalog._rows

    def interrupted(catalog: str, err: Any, refused: list[int]) -> Iterator[Any]:
        for count, product in enumerate(rows(catalog, err, refused)):
            if count == 150:
                raise KeyboardInterrupt
            yield product

    monkeypatch.setattr(_catalog, "_rows", interrupted)
    catalog = write_jsonl(tmp_path / "catalog.jsonl", [good(n) for n in range(1, 251)])
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["products", "sync", str(catalog), "--mode", "create"], out=out, err=err) == 130
    assert out.getvalue() == f"100 created, 0 updated, 0 refused by Ordergroove, 0 rows refused in {catalog}\n"
    said = err.getvalue()
    assert "products sync: stopped by an interruption; what was sent before it was applied" in said
    assert f"products sync: the rest of {catalog} was not sent" in said and "ordergroove: interrupted" in said
    assert len(fake.products) == 100
