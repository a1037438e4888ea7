"""Learns a model adapter from resolved tickets: see scripts/tune-model."""

import argparse
import json
import math
import random
import sys
import time

import torch
from safetensors import safe_open
from safetensors.torch import save_file
from transformers import MPNetModel, MPNetTokenizer
from transformers.masking_utils import create_bidirectional_mask

# The linear layers of an MPNet layer that the adapter changes.
LINEAR_LAYERS = [
    "attention.attn.q",
    "attention.attn.k",
    "attention.attn.v",
    "attention.attn.o",
    "intermediate.dense",
    "output.dense",
]
# The base tensor whose values pin the model the adapter belongs to.
PROBE_TENSOR = "encoder.layer.0.attention.attn.q.weight"
PROBE_INDICES = [k * 7919 for k in range(16)]
FORMAT = "ticketflow-adapter-1"
# Tokens read of a ticket, as Ticketflow's encoder reads all-mpnet-base-v2.
MAXIMUM_TOKENS = 384


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tickets", nargs="+", help="JSON Lines of {\"text\", \"problem\"}")
    parser.add_argument("--model", required=True, help="the base model folder")
    parser.add_argument("--out", required=True, help="the adapter file to write")
    parser.add_argument("--reference", help="also write the vectors of a few texts here, for tests")
    parser.add_argument("--layers", type=int, default=4, help="how many of the last layers change")
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--temperature", type=float, default=0.05)
    parser.add_argument("--problems-per-batch", type=int, default=12)
    parser.add_argument("--tickets-per-problem", type=int, default=3)
    parser.add_argument("--singletons-per-batch", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def read_tickets(paths):
    """Tickets as (text, problem); each line of each file is a JSON object."""
    tickets = []
    for path in paths:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    text, problem = record["text"], record["problem"]
                except (ValueError, KeyError, TypeError) as error:
                    sys.exit(f"{path}:{number}: not an object with text and problem ({error})")
                if not isinstance(text, str) or not isinstance(problem, str) or not text.strip():
                    sys.exit(f"{path}:{number}: text and problem must be non-empty strings")
                tickets.append((text, problem))
    return tickets


class LowRank(torch.nn.Module):
    """A frozen linear layer plus a trained low-rank change, up · down."""

    def __init__(self, base, rank):
        super().__init__()
        self.base = base
        self.down = torch.nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
        self.up = torch.nn.Parameter(torch.zeros(base.out_features, rank))

    def forward(self, x):
        return self.base(x) + (x @ self.down.t()) @ self.up.t()


def main():
    arguments = parse_arguments()
    random.seed(arguments.seed)
    torch.manual_seed(arguments.seed)
    started = time.time()

    if arguments.tickets_per_problem < 2:
        sys.exit("tune-model: --tickets-per-problem must be at least 2: a ticket needs another of its problem to be pulled towards")
    tickets = read_tickets(arguments.tickets)
    texts = [text for text, _ in tickets]
    members = {}
    for index, (_, problem) in enumerate(tickets):
        members.setdefault(problem, []).append(index)
    problems = [indices for indices in members.values() if len(indices) >= 2]
    singletons = [indices[0] for indices in members.values() if len(indices) == 1]
    if len(problems) < arguments.problems_per_batch:
        sys.exit(f"tune-model: {len(problems)} problems with two or more tickets; at least {arguments.problems_per_batch} are needed")
    print(f"tune-model: {len(tickets)} tickets, {len(problems)} problems, {len(singletons)} tickets of their own", file=sys.stderr)

    tokenizer = MPNetTokenizer(arguments.model + "/vocab.txt")
    model = MPNetModel.from_pretrained(arguments.model, add_pooling_layer=False)
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    layer_count = model.config.num_hidden_layers
    first_changed = layer_count - arguments.layers

    # The layers below the first changed one never change, so what they
    # make of each text is computed once.
    below = []
    with torch.no_grad():
        for start in range(0, len(texts), 32):
            batch = tokenizer(texts[start:start + 32], padding=True, truncation=True, max_length=MAXIMUM_TOKENS, return_tensors="pt")
            hidden = model(**batch, output_hidden_states=True).hidden_states[first_changed]
            for row in range(hidden.shape[0]):
                length = int(batch["attention_mask"][row].sum())
                below.append(hidden[row, :length].clone())

    changed = {}
    for number in range(first_changed, layer_count):
        for path in LINEAR_LAYERS:
            parent = model.encoder.layer[number]
            *parents, leaf = path.split(".")
            for part in parents:
                parent = getattr(parent, part)
            wrapped = LowRank(getattr(parent, leaf), arguments.rank)
            setattr(parent, leaf, wrapped)
            changed[f"encoder.layer.{number}.{path}"] = wrapped
    trained = [tensor for layer in changed.values() for tensor in (layer.down, layer.up)]
    optimizer = torch.optim.AdamW(trained, lr=arguments.learning_rate, weight_decay=0.0)

    def encode(indices):
        """Mean-pooled unit vectors, from the cached lower layers up."""
        rows = [below[index] for index in indices]
        longest = max(row.shape[0] for row in rows)
        hidden = torch.zeros(len(rows), longest, rows[0].shape[1])
        mask = torch.zeros(len(rows), longest, dtype=torch.long)
        for position, row in enumerate(rows):
            hidden[position, :row.shape[0]] = row
            mask[position, :row.shape[0]] = 1
        attention = create_bidirectional_mask(config=model.config, inputs_embeds=hidden, attention_mask=mask)
        bias = model.encoder.compute_position_bias(hidden)
        for number in range(first_changed, layer_count):
            hidden = model.encoder.layer[number](hidden, attention, bias)[0]
        weights = mask.unsqueeze(-1).float()
        pooled = (hidden * weights).sum(1) / weights.sum(1)
        return torch.nn.functional.normalize(pooled, dim=-1)

    # Supervised contrastive loss: each ticket is pulled towards the other
    # tickets of its problem in the batch and pushed from all the rest,
    # look-alikes (tickets of their own) included.
    for step in range(arguments.steps):
        indices, labels = [], []
        for label, chosen in enumerate(random.sample(problems, arguments.problems_per_batch)):
            for index in random.sample(chosen, min(arguments.tickets_per_problem, len(chosen))):
                indices.append(index)
                labels.append(label)
        for offset, index in enumerate(random.sample(singletons, min(arguments.singletons_per_batch, len(singletons)))):
            indices.append(index)
            labels.append(len(problems) + offset)
        labels = torch.tensor(labels)
        vectors = encode(indices)
        same = torch.eye(len(indices), dtype=torch.bool)
        scores = (vectors @ vectors.t() / arguments.temperature).masked_fill(same, -1e9)
        positive = (labels[:, None] == labels[None, :]) & ~same
        log_probability = scores - torch.logsumexp(scores, dim=1, keepdim=True)
        anchors = positive.any(1)
        loss = (-(log_probability * positive).sum(1)[anchors] / positive.sum(1)[anchors]).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 20 == 0 or step == arguments.steps - 1:
            print(f"tune-model: step {step + 1}/{arguments.steps}, loss {loss.item():.3f}", file=sys.stderr)

    with safe_open(arguments.model + "/model.safetensors", "pt") as weights:
        prefix = "" if PROBE_TENSOR in weights.keys() else "mpnet."
        probe_values = weights.get_tensor(prefix + PROBE_TENSOR).flatten()
    probe = ",".join(
        f"{index}:{probe_values[index].view(torch.int32).item() & 0xFFFFFFFF:08x}" for index in PROBE_INDICES)
    if not all(torch.isfinite(tensor).all() for tensor in trained):
        sys.exit("tune-model: training diverged (a value is not finite); try a lower --learning-rate")
    tensors = {}
    for name, layer in changed.items():
        tensors[name + ".lora_down"] = layer.down.detach().contiguous()
        tensors[name + ".lora_up"] = layer.up.detach().contiguous()
    metadata = {
        "format": FORMAT,
        "base_tensor": PROBE_TENSOR,
        "base_probe": probe,
        "training": json.dumps({
            "tickets": len(tickets), "problems": len(problems), "layers": arguments.layers, "rank": arguments.rank,
            "steps": arguments.steps, "learning_rate": arguments.learning_rate,
            "temperature": arguments.temperature, "seed": arguments.seed,
        }),
    }
    save_file(tensors, arguments.out, metadata=metadata)
    print(f"tune-model: adapter in {arguments.out} ({time.time() - started:.0f} s)", file=sys.stderr)

    if arguments.reference:
        indices = [0, len(texts) // 2, len(texts) - 1]
        with torch.no_grad():
            vectors = encode(indices)
        with open(arguments.reference, "w", encoding="utf-8") as file:
            json.dump({"texts": [texts[index] for index in indices], "vectors": [[round(v, 6) for v in vector.tolist()] for vector in vectors]}, file)
            file.write("\n")


if __name__ == "__main__":
    main()
