import pytest
import torch
from transformers import AutoTokenizer

from govie.encoding import CharEncoder
from govie.features import collate, record_to_examples
from govie.modeling_govie import GovieConfig, GovieModel
from govie.schema import ENTITY_TYPES, Record, validate_record

from conftest import SAMPLE_GOLD


def test_save_and_load_round_trip_exactly(tiny_model_dir, tmp_path):
    model = GovieModel.from_pretrained(tiny_model_dir)
    model.save_pretrained(tmp_path)
    again = GovieModel.from_pretrained(tmp_path)
    a, b = model.state_dict(), again.state_dict()
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert again.config.labels == model.config.labels
    assert again.config.relation_types == ["任职", "隶属", "主持", "时间", "捐赠"]


def test_backbone_weights_are_loaded(tiny_backbone):
    from transformers import AutoModel

    backbone = AutoModel.from_pretrained(tiny_backbone)
    model = GovieModel.from_backbone(str(tiny_backbone))
    emb = backbone.get_input_embeddings().weight
    assert torch.equal(model.encoder.get_input_embeddings().weight, emb)


def _batch(tiny_backbone, annotated=frozenset(ENTITY_TYPES)):
    tok = AutoTokenizer.from_pretrained(tiny_backbone)
    enc = CharEncoder(tok)
    rec = validate_record(SAMPLE_GOLD)
    return enc, collate(record_to_examples(rec, enc, 60, annotated_types=annotated), enc)


def test_features_carry_gold_relations(tiny_backbone):
    _, batch = _batch(tiny_backbone)
    assert batch["entity_spans"].shape == (7, 4)
    # 6 gold relations among the schema-allowed candidate pairs of the sentence
    assert int((batch["pair_labels"] > 0).sum()) == 6


def test_partial_labels_do_not_punish_unannotated_types(tiny_backbone):
    _, full = _batch(tiny_backbone)
    _, partial = _batch(tiny_backbone, annotated=frozenset({"PER"}))
    # An O character of a PER-only source may also be TIME/ORG/...: more labels allowed.
    assert int(partial["label_mask"].sum()) > int(full["label_mask"].sum())
    model = GovieModel.from_backbone(str(tiny_backbone)).eval()
    with torch.no_grad():
        full_loss = model(**full).tag_loss
        partial_loss = model(**partial).tag_loss
    assert partial_loss < full_loss


def test_two_training_steps_lower_the_loss(tiny_backbone):
    torch.manual_seed(0)
    _, batch = _batch(tiny_backbone)
    model = GovieModel.from_backbone(str(tiny_backbone), head_dropout=0.0)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(3):
        out = model(**batch)
        losses.append(out.loss.item())
        out.loss.backward()
        opt.step()
        opt.zero_grad()
    assert losses[2] < losses[0]


def test_config_round_trips_through_json(tmp_path):
    cfg = GovieConfig(encoder={"model_type": "bert", "hidden_size": 32, "num_hidden_layers": 1,
                               "num_attention_heads": 2, "intermediate_size": 64, "vocab_size": 50})
    cfg.save_pretrained(tmp_path)
    again = GovieConfig.from_pretrained(tmp_path)
    assert again.encoder_config().hidden_size == 32
    assert again.relation_schema["任职"] == [["PER"], ["TITLE"]]


def test_backbone_can_be_cut_to_its_first_layers(tiny_backbone, tmp_path):
    from training.make_backbone import build_vocab, make_random_backbone

    make_random_backbone(tmp_path, build_vocab("李成宽", base=False), layers=3, hidden=32, heads=2, intermediate=64)
    model = GovieModel.from_backbone(str(tmp_path), num_layers=2)
    assert len(model.encoder.encoder.layer) == 2
    with pytest.raises(ValueError):
        GovieModel.from_backbone(str(tmp_path), num_layers=4)
