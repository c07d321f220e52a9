"""Uploads: throughput on local storage and on S3, the server's memory while a large file goes
up, and image processing time per megapixel.

    .venv/bin/python bench/uploads.py --sizes 1,100 --repeat 3

For each storage (local files; S3 on a SeaweedFS started as the tests start it) a real
`villagepump serve` (SQLite) takes multipart uploads of files of each size, streamed from a
generator so the client never holds the file either. Reported per size: MB/s (wall clock,
request sent to 201 received), the server's CPU seconds per upload, and the growth of its
resident memory (VmRSS, sampled every 20 ms) over its size before the first upload. Then,
in this process, Pillow's work on one photo (decode, EXIF strip, re-encode, preview,
thumbnail): CPU seconds per megapixel.
"""

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.s3 import running_s3  # noqa: E402
from tests.support.server import ADMIN_PASSWORD, ServerProcess, make_server  # noqa: E402

MB = 1024 * 1024
CHUNK = 256 * 1024


@contextmanager
def upload_server(env: dict[str, str]) -> Iterator[ServerProcess]:
    server = make_server("sqlite")
    server.env.update({**env, "VILLAGEPUMP_MAX_FILE_SIZE": str(200 * MB)})
    server.cli(
        "user", "create", "--username", "sysadmin", "--email", "sysadmin@bench.test",
        "--password", ADMIN_PASSWORD, "--system-admin",
    )  # fmt: skip
    try:
        server.start()
        yield server
    except Exception:
        print(server.log()[-3000:], file=sys.stderr)
        raise
    finally:
        server.stop()


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PeakRss:
    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_kib(self.pid))
            time.sleep(0.02)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _body(channel_id: str, size: int, boundary: str) -> Iterator[bytes]:
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="channel_id"\r\n\r\n{channel_id}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="data.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    block = os.urandom(CHUNK)
    sent = 0
    while sent < size:
        piece = block[: min(CHUNK, size - sent)]
        sent += len(piece)
        yield piece
    yield f"\r\n--{boundary}--\r\n".encode()


def measure_uploads(server: ServerProcess, sizes: list[int], repeat: int) -> list[dict[str, float]]:
    assert server.process is not None
    pid = server.process.pid
    with httpx.Client(base_url=server.url + "/api/v4", timeout=600) as http:
        login = http.post("/users/login", json={"login_id": "sysadmin", "password": ADMIN_PASSWORD})
        http.headers["Authorization"] = f"Bearer {login.headers['Token']}"
        team = http.post("/teams", json={"name": "bench", "display_name": "Bench", "type": "O"}).json()
        channel = http.post(
            "/channels",
            json={"team_id": team["id"], "name": "uploads", "display_name": "Uploads", "type": "O"},
        ).json()
        baseline = _rss_kib(pid)
        rows = []
        for size_mb in sizes:
            for _ in range(repeat):
                boundary = uuid.uuid4().hex
                cpu_before = _cpu_seconds(pid)
                with PeakRss(pid) as rss:
                    started = time.perf_counter()
                    response = http.post(
                        "/files",
                        content=_body(channel["id"], size_mb * MB, boundary),
                        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                    )
                    elapsed = time.perf_counter() - started
                assert response.status_code == 201, response.text
                rows.append(
                    {
                        "size_mb": size_mb,
                        "mb_per_s": round(size_mb / elapsed, 1),
                        "server_cpu_s": round(_cpu_seconds(pid) - cpu_before, 2),
                        "rss_growth_mb": round((rss.peak - baseline) / 1024, 1),
                    }
                )
    return rows


def measure_images(megapixels: float) -> dict[str, float]:
    from villagepump.files import images

    side = int((megapixels * 1_000_000) ** 0.5)
    picture = Image.effect_noise((side, side), 64).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "BenchCam"
    with tempfile.TemporaryDirectory() as folder:
        source, cleaned = Path(folder) / "photo.jpg", Path(folder) / "photo.clean"
        picture.save(source, "JPEG", quality=90, exif=exif)
        started = time.process_time()
        processed = images.process(source, cleaned)
        cpu = time.process_time() - started
    assert processed is not None and processed.thumbnail
    return {
        "megapixels": round(side * side / 1_000_000, 1),
        "cpu_s_per_megapixel": round(cpu / (side * side / 1e6), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1,100", help="file sizes in MB, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--megapixels", type=float, default=12)
    parser.add_argument("--storage", default="local,amazons3")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[str, object] = {}
    for storage in args.storage.split(","):
        if storage == "local":
            with upload_server({}) as server:
                results["local"] = measure_uploads(server, sizes, args.repeat)
        else:
            with running_s3() as s3, upload_server(s3.server_env(s3.new_bucket())) as server:
                results["amazons3"] = measure_uploads(server, sizes, args.repeat)
    results["images"] = measure_images(args.megapixels)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
