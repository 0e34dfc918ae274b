"""Turn a trained model folder into the bundled default model (or any Hub-ready folder).

    python -m training.package_model runs/default/best model/govie/default_model --card cards/MODEL_CARD.md \
        [--min-entity-score 0.6]

Writes config.json, model.safetensors (fp16 by default: half the size, and govie.load computes in
fp32), the tokenizer files, README.md (the model card) and int8_calibration.safetensors, then loads the result back and checks
that its predictions on a probe text match the source model's.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "model"))

from govie.modeling_govie import GovieModel  # noqa: E402
from govie.predictor import Predictor  # noqa: E402
from govie.quantization import save_calibration  # noqa: E402

PROBE = "8月10日，市委常委、市纪委书记李成宽主持召开市纪委常委会会议。县红十字会向青山村捐赠口罩2000只。"


def package(src: Path, dst: Path, card: Path | None, dtype: str = "fp16",
            min_entity_score: float | None = None) -> dict:
    """min_entity_score: written into config.json as the folder's default (chosen on held-out data
    of our own with eval/entity_threshold.py, never on dev); None keeps the source's setting."""
    from transformers import AutoTokenizer

    model = GovieModel.from_pretrained(src, dtype=torch.float32)
    if min_entity_score is not None:
        model.config.min_entity_score = min_entity_score
    tokenizer = AutoTokenizer.from_pretrained(src)
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    (model.half() if dtype == "fp16" else model).save_pretrained(dst)
    tokenizer.save_pretrained(dst)
    if card is not None:
        shutil.copyfile(card, dst / "README.md")
    before = Predictor(GovieModel.from_pretrained(src, dtype=torch.float32), tokenizer, device="cpu",
                       min_entity_score=model.config.min_entity_score).predict(PROBE)
    packaged = Predictor.load(dst, device="cpu")
    after = packaged.predict(PROBE)
    save_calibration(packaged, dst)  # int8 loads skip their calibration pass
    same = [(e["start"], e["end"], e["type"]) for e in before["entities"]] == \
           [(e["start"], e["end"], e["type"]) for e in after["entities"]]
    size = (dst / "model.safetensors").stat().st_size
    return {"size_mb": round(size / 2**20, 1), "same_entities_on_probe": same}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    parser.add_argument("--card", type=Path, default=REPO / "cards" / "MODEL_CARD.md")
    parser.add_argument("--dtype", choices=["fp16", "fp32"], default="fp16")
    parser.add_argument("--min-entity-score", type=float, default=None)
    args = parser.parse_args(argv)
    print(package(args.src, args.dst, args.card if args.card.exists() else None, args.dtype,
                  args.min_entity_score))


if __name__ == "__main__":
    main()
