"""int8: a stored calibration gives the same quantised model as calibrating at load, and a stale one is ignored."""
import shutil

import pytest
import torch

from govie.predictor import Predictor
from govie.quantization import CALIBRATION_FILE, calibration_maxima, load_calibration, save_calibration

from conftest import SAMPLE

TEXTS = [SAMPLE, "縣委書(shū)記王某主持召開會議。", "县委书记召开会议，。" * 9]


def test_stored_calibration_is_used_and_gives_the_same_int8_model(tiny_model_dir, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    fp32 = Predictor.load(folder, device="cpu")
    save_calibration(fp32, folder)
    stored = load_calibration(folder)
    fresh = calibration_maxima(fp32)
    assert set(stored) == set(fresh) and all(torch.equal(stored[k], fresh[k]) for k in fresh)

    with_file = Predictor.load(folder, device="cpu", quantize="int8").predict(TEXTS)
    (folder / CALIBRATION_FILE).unlink()
    assert Predictor.load(folder, device="cpu", quantize="int8").predict(TEXTS) == with_file


def test_calibration_made_for_other_weights_is_ignored(tiny_model_dir, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    save_calibration(Predictor.load(folder, device="cpu"), folder)
    other = tmp_path / "other"
    shutil.copytree(folder, other)
    with open(other / "model.safetensors", "ab") as f:  # any change to the weights file
        f.write(b" ")
    with pytest.warns(UserWarning, match="other weights"):
        assert load_calibration(other) is None
