"""The plain-torch runtime (no transformers import) gives the transformers model's results."""
import subprocess
import sys

import pytest
import torch

import govie
from govie.runtime import CharVocab, RuntimeModel, UnsupportedModel

from conftest import SAMPLE

TEXTS = [SAMPLE, "縣委書(shū)記王某主持召開會議。", "记者 徐孟国\n通讯员 孙利丹", "尧" * 150, "县委书记召开会议，。" * 9]


def test_runtime_encoder_matches_transformers_outputs(tiny_model_dir):
    from govie.modeling_govie import GovieModel

    reference = GovieModel.from_pretrained(str(tiny_model_dir), dtype=torch.float32).eval()
    runtime = RuntimeModel.from_folder(tiny_model_dir)
    ids = torch.randint(5, reference.config.encoder["vocab_size"], (3, 20))
    mask = torch.ones_like(ids)
    mask[1, 12:] = 0  # a padded row: padding must not change the real positions
    with torch.no_grad():
        want = reference.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        got = runtime.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
    real = mask.bool()
    torch.testing.assert_close(got[real], want[real], rtol=1e-4, atol=1e-5)


def test_both_backends_predict_the_same(tiny_model_dir):
    fast = govie.load(tiny_model_dir, device="cpu", backend="torch")
    slow = govie.load(tiny_model_dir, device="cpu", backend="transformers")
    assert type(fast.model).__name__ == "RuntimeModel" and type(slow.model).__name__ == "GovieModel"
    assert fast.predict(TEXTS) == slow.predict(TEXTS)


def test_vocabulary_reader_agrees_with_the_tokenizer(tiny_model_dir):
    from transformers import AutoTokenizer

    tok, vocab = AutoTokenizer.from_pretrained(str(tiny_model_dir)), CharVocab.from_folder(tiny_model_dir)
    assert vocab.get_vocab() == tok.get_vocab() and len(vocab) == len(tok)
    for role in ("cls", "sep", "pad", "unk"):
        assert getattr(vocab, f"{role}_token_id") == getattr(tok, f"{role}_token_id")


def test_unsupported_encoder_needs_transformers(tiny_model_dir, tmp_path):
    import json
    import shutil

    folder = tmp_path / "other"
    shutil.copytree(tiny_model_dir, folder)
    config = json.loads((folder / "config.json").read_text())
    config["encoder"]["position_embedding_type"] = "relative_key"
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(UnsupportedModel, match="relative_key"):
        govie.load(folder, device="cpu", backend="torch")
    with pytest.raises(ValueError, match="backend must be one of"):
        govie.load(tiny_model_dir, backend="onnx")


def test_importing_and_loading_the_default_model_does_not_import_transformers():
    code = "import sys, govie; govie.load(device='cpu'); print('transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
