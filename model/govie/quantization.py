"""int8 CPU inference: torch dynamic quantisation with SmoothQuant-style smoothing.

Every Linear layer of the encoder gets int8 weights (per output channel) and int8 activations
quantised on the fly. The FFN output projections read the GELU output, whose few outlier
channels (up to ~35x the median magnitude) a per-tensor activation scale cannot represent:
quantised as they are, dev entity F1 fell by 6 points. So each of them is first smoothed
(Xiao et al., 2023): x W^T = (x / s)(W diag(s))^T with s_j = max|x_j|^a / max|W_:,j|^(1-a),
which moves the outliers into the weights, where per-channel int8 copes. max|x_j| comes from a
forward pass over calibration.txt (the team's own paragraphs, shipped with the package);
a = 0.8 was chosen by agreement with fp32 predictions on other team paragraphs (team-d), not on
dev: agreement 0.988 (entities) and 0.983 (relations) there for the shipped model.
The task heads stay fp32 (small, and they decide the output).

The calibration pass costs about as much as loading the model, so a model folder may carry its
result, int8_calibration.safetensors (written by training/package_model.py), stamped with the
SHA-256 of the model.safetensors it was measured on; a stamp that does not match is ignored.
"""
from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import torch
from torch import nn

QUANTIZATIONS = ("int8",)
SMOOTHING_ALPHA = 0.8
CALIBRATION_TEXT = Path(__file__).parent / "calibration.txt"
CALIBRATION_FILE = "int8_calibration.safetensors"


class SmoothedLinear(nn.Module):
    """Linear(x) computed as Linear'(x * inv_scale), Linear' having its input columns scaled by s."""

    def __init__(self, linear: nn.Linear, act_max: torch.Tensor, alpha: float = SMOOTHING_ALPHA):
        super().__init__()
        w_max = linear.weight.detach().abs().amax(0).clamp(min=1e-5)
        s = (act_max.clamp(min=1e-5) ** alpha / w_max ** (1 - alpha)).clamp(min=1e-5)
        self.register_buffer("inv_scale", 1.0 / s)
        self.linear = nn.Linear(linear.in_features, linear.out_features, bias=linear.bias is not None)
        with torch.no_grad():
            self.linear.weight.copy_(linear.weight * s)
            if linear.bias is not None:
                self.linear.bias.copy_(linear.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x * self.inv_scale)


def _ffn_output_layers(model: nn.Module) -> list[str]:
    """Names of the Linear layers that read an FFN's activation (BERT-style: layer.N.output.dense)."""
    inter = {n.rsplit(".", 2)[0] for n, m in model.named_modules()
             if isinstance(m, nn.Linear) and n.endswith("intermediate.dense")}
    return [n for n, m in model.named_modules()
            if isinstance(m, nn.Linear) and n.endswith(".output.dense") and n.rsplit(".", 2)[0] in inter]


def activation_maxima(predictor, layer_names: list[str], texts: list[str]) -> dict[str, torch.Tensor]:
    """Per input channel, the largest |activation| each named layer sees on the texts."""
    maxima: dict[str, torch.Tensor] = {}

    def hook(name):
        def record(module, inputs):
            x = inputs[0].detach().abs().reshape(-1, inputs[0].shape[-1]).amax(0).float()
            maxima[name] = x if name not in maxima else torch.maximum(maxima[name], x)
        return record

    handles = [predictor.model.get_submodule(n).register_forward_pre_hook(hook(n)) for n in layer_names]
    try:
        predictor.predict(texts)
    finally:
        for h in handles:
            h.remove()
    # tensors made under inference_mode cannot enter a module's buffers: copy them out
    return {n: torch.tensor(v.tolist()) for n, v in maxima.items()}


def calibration_maxima(predictor) -> dict[str, torch.Tensor]:
    """The per-channel activation maxima the smoothing needs, from predictor's fp32 model."""
    texts = [t for t in CALIBRATION_TEXT.read_text(encoding="utf-8").splitlines() if t.strip()]
    return activation_maxima(predictor, _ffn_output_layers(predictor.model), texts)


def _weights_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    with open(folder / "model.safetensors", "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_calibration(predictor, folder: str | Path) -> Path:
    """Write int8_calibration.safetensors for the model saved in folder (predictor holds it, fp32)."""
    from safetensors.torch import save_file

    folder = Path(folder)
    path = folder / CALIBRATION_FILE
    save_file(calibration_maxima(predictor), str(path), metadata={"model_sha256": _weights_digest(folder)})
    return path


def load_calibration(folder: str | Path) -> dict[str, torch.Tensor] | None:
    """The stored maxima of folder's model, or None if there are none or they were made for other weights."""
    from safetensors import safe_open

    path = Path(folder) / CALIBRATION_FILE
    if not path.is_file():
        return None
    with safe_open(str(path), framework="pt") as f:
        if (f.metadata() or {}).get("model_sha256") != _weights_digest(Path(folder)):
            warnings.warn(f"{path} was made for other weights; calibrating again", stacklevel=3)
            return None
        return {k: f.get_tensor(k).float() for k in f.keys()}


def quantize_int8(predictor, inplace: bool = False, maxima: dict[str, torch.Tensor] | None = None) -> nn.Module:
    """predictor.model in int8, calibrated on calibration.txt (or with stored maxima): a copy, or
    (inplace=True, when nobody else holds the fp32 model) the model itself, which saves its fp32
    size in memory."""
    import copy

    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    model = predictor.model
    names = _ffn_output_layers(model)
    if maxima is None or set(maxima) != set(names):
        maxima = calibration_maxima(predictor)
    qmodel = model if inplace else copy.deepcopy(model)
    for name in names:
        parent, child = name.rsplit(".", 1)
        setattr(qmodel.get_submodule(parent), child, SmoothedLinear(qmodel.get_submodule(name), maxima[name]))
    spec = {n: per_channel_dynamic_qconfig for n, m in qmodel.named_modules()
            if isinstance(m, nn.Linear) and n.startswith("encoder.")}
    with warnings.catch_warnings():
        # torch marks its eager quantisation API deprecated in favour of torchao, which is not a
        # dependency here; it works on every torch version this package supports.
        warnings.simplefilter("ignore")
        return quantize_dynamic(qmodel, spec, dtype=torch.qint8, inplace=True).eval()
