"""The finetune widget in real Pyodide, through the calls the browser makes: the same
seed gives the same losses and the same answers as on CPython."""

from __future__ import annotations

from pathlib import Path

import pytest
from lecture_widgets import finetune
from lecture_widgets.finetune import calls
from lecture_widgets.finetune.conversations import DEFAULT_CONVERSATIONS

pytestmark = pytest.mark.pyodide
FOLDER = Path(finetune.__file__).parent
STEPS = 12


@pytest.fixture(scope="module")
def loaded(pyodide) -> None:
    """The data files, at the paths the runtime gives them (under lecture_widgets/)."""
    pyodide.files([(FOLDER.parent / path, path) for path in finetune.data_files({})])


def run(call) -> tuple[list[float], dict]:
    """The losses of a short fine-tuning (held-out before, each step's, held-out during),
    and the comparison after it."""
    started = call("start", widget="parity", conversations=DEFAULT_CONVERSATIONS, seed=7)
    curves = []
    while not curves or curves[-1][0] < STEPS:  # slices until the last step's held-out loss
        trained = call("train", widget="parity", until_step=STEPS, seconds=60)
        curves += trained["steps"] + trained["held_out"]
    compared = call("compare", widget="parity", temperature=0.7, seed=1)
    return [started["held_out"], *(value for point in curves for value in point)], compared


def test_fine_tuning_in_pyodide_gives_cpythons_losses_and_answers(pyodide, loaded) -> None:
    got = run(lambda name, **payload: pyodide.call(f"finetune.{name}", **payload))
    expected = run(lambda name, **payload: getattr(calls, name)(**payload))
    # The same arithmetic in the same order; libm's exp, log and sqrt may differ in the
    # last bit between the two C libraries, so compare to a tolerance far below any change
    # a reader could see.
    assert len(got[0]) == 1 + 2 * STEPS + 2  # and the held-out loss at step 12
    assert got[0] == pytest.approx(expected[0], rel=1e-9)
    assert got[1]["rows"] == expected[1]["rows"]  # the same answers, sampled ones too
