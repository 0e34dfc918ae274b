"""Hub ids: govie.load("owner/name") through the Hugging Face cache, offline; and a Hub-ready folder."""
import shutil

import pytest

import govie

from conftest import SAMPLE  # conftest also puts the repository on sys.path, for training.*

REPO_ID = "govie-test/tiny"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture()
def offline_hub_cache(tmp_path, monkeypatch):
    """An empty HF cache, offline. huggingface_hub reads HF_HUB_CACHE and HF_HUB_OFFLINE once, at import,
    into huggingface_hub.constants (which transformers consults at call time): patch both there too."""
    from huggingface_hub import constants

    cache = tmp_path / "hub"
    cache.mkdir()
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    return cache


def put_in_cache(cache, repo_id, folder):
    """The cache layout hf_hub_download leaves: models--owner--name/{refs/main, snapshots/<commit>/files}."""
    repo_dir = cache / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo_dir / "snapshots" / COMMIT
    shutil.copytree(folder, snapshot)
    (repo_dir / "refs").mkdir()
    (repo_dir / "refs" / "main").write_text(COMMIT)


def test_a_hub_id_in_the_cache_loads_offline_and_predicts(offline_hub_cache, tiny_model_dir, tiny_predictor):
    put_in_cache(offline_hub_cache, REPO_ID, tiny_model_dir)
    predictor = govie.load(REPO_ID, device="cpu")
    result = predictor.predict(SAMPLE)
    assert result["text"] == SAMPLE
    assert result == tiny_predictor.predict(SAMPLE)  # the same model as the folder it came from


def test_an_unknown_hub_id_offline_is_an_os_error(offline_hub_cache):
    with pytest.raises(OSError, match="cached files"):
        govie.load("govie-test/no-such-model", device="cpu")


def test_an_unknown_hub_id_offline_is_an_error_naming_it(offline_hub_cache):
    with pytest.raises((OSError, ValueError), match="govie-test/no-such-model"):
        govie.load("govie-test/no-such-model", device="cpu")


def test_a_packaged_folder_is_hub_ready(tiny_model_dir, tmp_path):
    from training.package_model import package

    card = tmp_path / "card.md"
    card.write_text("# tiny govie model\n", encoding="utf-8")
    dst = tmp_path / "packaged"
    report = package(tiny_model_dir, dst, card)
    names = {p.name for p in dst.iterdir()}
    assert {"config.json", "model.safetensors", "README.md"} <= names
    assert names & {"tokenizer.json", "vocab.txt"}  # a tokenizer file
    assert "tokenizer_config.json" in names
    assert report["same_entities_on_probe"]
    assert govie.load(dst, device="cpu").predict(SAMPLE)["text"] == SAMPLE
