"""The worker's measure of the link (plugin/assets/link_meter.js), under Node with real
timers: chunks that waited for a busy worker must not make a fast link look slow."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from support import ROOT

pytestmark = pytest.mark.skipif(not shutil.which("node"), reason="needs Node")

# Chunks of `size` bytes every `every` ms; `busy` ms of synchronous work after the first
# chunk, during which `waited` bytes arrive (delivered as one chunk when it ends).
SCRIPT = """
import { linkMeter } from "%s";
const [size, every, count, busy, waited] = JSON.parse(process.argv[1]);
const meter = linkMeter();
const rate = meter.rate(size * (count - 1));
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
await pause(50);
meter.arrived(size);
if (busy) {
  const until = performance.now() + busy;
  while (performance.now() < until);
  meter.arrived(waited);
}
for (let i = 1; i < count; i++) {
  await pause(every);
  meter.arrived(size);
  meter.settle(false);
}
meter.settle(true);
meter.stop();
console.log(JSON.stringify(await rate));
"""


def measured(size: int, every: int, count: int, busy: int = 0, waited: int = 0) -> float:
    """The bytes per second the meter reports (Infinity comes back as None)."""
    script = SCRIPT % (ROOT / "plugin/assets/link_meter.js").as_uri()
    args = json.dumps([size, every, count, busy, waited])
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script, args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_a_steady_link_is_measured_at_its_pace() -> None:
    rate = measured(size=16_000, every=20, count=15)  # at most 0.8 MB/s: timers only run late
    assert 0.4e6 < rate <= 0.81e6


def test_bytes_that_waited_for_a_busy_worker_are_not_the_links() -> None:
    """1.6 MB read at once after 400 ms of work: counted, they would say 4 MB/s."""
    rate = measured(size=16_000, every=20, count=15, busy=400, waited=1_600_000)
    assert 0.4e6 < rate <= 0.81e6


def test_files_that_all_came_while_the_worker_was_busy_are_taken_as_fast() -> None:
    assert measured(size=1_000, every=0, count=1, busy=300, waited=2_000_000) is None
