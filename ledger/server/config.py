"""Settings of ``serah serve``, with the limits a public service needs.

Each default says why it is what it is; ``serah serve --help`` names the
options that change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ServerConfig"]


@dataclass(frozen=True)
class ServerConfig:
    db: str
    host: str = "127.0.0.1"
    port: int = 8080
    #: The largest request body: a handover file of two records of a few
    #: hundred items is well under this; anything larger is refused (413)
    #: before it is parsed.
    max_body: int = 1024 * 1024
    #: A record dated further than this after the server's clock is refused
    #: (422): clocks drift a little, nobody signs next week's handover today.
    future_tolerance_s: int = 300
    #: Per signing key (the author): submissions per second, and the burst
    #: a key may spend at once (a warehouse preparing a truck's worth).
    rate_per_key: float = 50.0
    burst_per_key: int = 500
    #: How long a request waits for its batch before it is answered 503
    #: (its submission may still land: the client re-submits, idempotently).
    submit_timeout_s: float = 30.0
    #: Submissions waiting for the sequencer before new ones get 503.
    max_queue: int = 20_000
    #: Submissions judged and committed together at most.
    max_batch: int = 512
    #: Slow clients: a connection idle this long between requests is closed;
    #: a request body must arrive within ``body_timeout_s``.
    keep_alive_s: int = 5
    body_timeout_s: float = 10.0
    #: Witness verifier keys (cosignature/v1) whose cosignatures ``/checkpoint``
    #: serves; a stored cosignature by any other key is never served.
    witness_keys: tuple[str, ...] = ()
    #: How often the server signs a checkpoint of what it has integrated
    #: (only when the log grew); 0: never (``serah checkpoint`` by hand).
    checkpoint_every_s: float = 2.0
    #: ... and as soon as this many records were integrated since the last
    #: checkpoint (whichever comes first); 0: no count trigger.
    checkpoint_every_records: int = 1000
    #: The log key differs from the one that signed the newest checkpoint:
    #: allowed only when the operator says so (witnesses must be told).
    new_log_key: bool = False
    #: Witnesses the log asks for cosignatures (C2SP tlog-witness; each a
    #: ``ledger.server.witnessing.WitnessEndpoint``), and how many of them must
    #: cosign a checkpoint before ``/checkpoint`` serves it (0: serve at once).
    witnesses: tuple[Any, ...] = ()
    quorum: int = 0
    #: The largest record: an entry bundle gives each entry a 16-bit length.
    max_record: int = 0xFFFF
