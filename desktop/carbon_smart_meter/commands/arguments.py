"""Argument types shared by the `csm` commands: a value that makes no sense is refused while parsing.

argparse turns an `ArgumentTypeError` into one line naming the option ("csm simulate: argument --rate:
0 is outside 1 .. 50000 Hz (see `csm simulate --help`)") and exit status 2, before anything is opened,
created or written. Each type says what was wrong and what would be right; NaN and infinity are never
a number a user meant.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from pathlib import Path

from carbon_smart_meter.errors import CsmError


def _fmt(value: float) -> str:
    """Limits as people write them: 1000000, not 1e+06."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def number(*, minimum: float | None = None, maximum: float | None = None, above: float | None = None,
           unit: str = "", integer: bool = False) -> Callable[[str], float]:
    """A finite number in range: `minimum <= x <= maximum`, `x > above` (a strict lower bound)."""
    kind = "a whole number" if integer else "a number"
    suffix = f" {unit}" if unit else ""

    def parse(text: str) -> float:
        try:
            value = int(text) if integer else float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {kind}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        if above is not None and not value > above:
            limit = f"more than {_fmt(above)}{suffix}"
            if maximum is not None:
                limit += f" and at most {_fmt(maximum)}{suffix}"
            raise argparse.ArgumentTypeError(f"{text} is not allowed: use {limit}")
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            if minimum is not None and maximum is not None:
                limit = f"{_fmt(minimum)} .. {_fmt(maximum)}{suffix}"
            elif minimum is not None:
                limit = f"at least {_fmt(minimum)}{suffix}"
            else:
                limit = f"at most {_fmt(maximum or 0)}{suffix}"
            raise argparse.ArgumentTypeError(f"{text} is outside {limit}")
        return value

    parse.__name__ = "integer" if integer else "number"
    return parse


def whole(*, minimum: int | None = None, maximum: int | None = None, unit: str = "") -> Callable[[str], int]:
    """A whole number in range."""
    parse = number(minimum=minimum, maximum=maximum, unit=unit, integer=True)
    return lambda text: int(parse(text))


def seconds(*, allow_zero: bool = False, what: str = "seconds") -> Callable[[str], float]:
    """A duration in seconds: positive (or zero, where zero means "no limit"), finite."""
    return number(minimum=0.0, unit=what) if allow_zero else number(above=0.0, unit=what)


def text_of(*, at_most: int) -> Callable[[str], str]:
    """Free text of a bounded length, without control characters (they would break one-line output)."""
    def parse(text: str) -> str:
        text = text.strip()
        if len(text) > at_most:
            raise argparse.ArgumentTypeError(f"{len(text)} characters is too long: use at most {at_most}")
        if any(ord(c) < 32 and c not in "\n\t" for c in text):
            raise argparse.ArgumentTypeError(f"{text!r} holds control characters")
        return text

    parse.__name__ = "text"
    return parse


def new_file(text: str) -> Path:
    """An output file that does not exist yet, in a folder that does: our outputs never overwrite."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a folder; give the name of a new file in it")
    if path.exists() or path.is_symlink():
        raise argparse.ArgumentTypeError(f"{path} already exists; choose another name (nothing is overwritten)")
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"the folder {folder} does not exist; create it or choose another")
    if not os.access(folder, os.W_OK):
        raise argparse.ArgumentTypeError(f"the folder {folder} is not writable for you; choose another")
    return path


def existing_file(text: str) -> Path:
    """An input file that exists and is a file (not a folder)."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a folder; give a file")
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{path} does not exist")
    return path


def existing_folder(text: str) -> Path:
    """An input folder that exists (a file is refused)."""
    path = Path(text).expanduser()
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{path} does not exist")
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a file; give a folder")
    return path


def calibration_records(text: str) -> Path:
    """A calibration record store to read: it must be a folder that exists. A missing or mistyped path
    would otherwise read as "no records", and every device would be logged with factory scales."""
    path = Path(text).expanduser()
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text} does not exist; `csm calibrate --calibrations {text}` makes "
                                         "calibration records there")
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file; give the folder of calibration records "
                                         "(`csm calibrate` writes one file per device and date in it)")
    return path


def calibration_folder(text: str) -> Path:
    """A calibration record store to write into (`csm calibrate`): made if missing; a file is refused."""
    return _folder_to_write(text, "the calibration records")


def region_code(text: str) -> str:
    """A grid region as ISO 3166-1 alpha-2, alpha-3 or numeric code, stored as alpha-2; empty means "not
    set" (the settings' or the location's). An unknown code is refused here rather than stored in a file
    and found out when the CO2 figure is wanted."""
    from carbon_smart_meter.carbon.region import from_settings
    from carbon_smart_meter.errors import CarbonError

    if not text.strip():
        return ""
    try:
        return from_settings(text.strip()).code or ""
    except CarbonError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def link_path(text: str) -> Path:
    """A path where a symlink will be made: its folder must exist; an existing symlink is replaced, any
    other existing file is refused."""
    path = Path(text).expanduser()
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"the folder {path.parent} does not exist; create it or choose another")
    if path.exists() and not path.is_symlink():
        raise argparse.ArgumentTypeError(f"{path} exists and is not a link; choose another path")
    return path


SYS_CHAR_DEVICES = Path("/sys/dev/char")


def waited_serial_port(text: str) -> str:
    """As `serial_port`, but a path that does not exist yet is accepted: `csm monitor` shows the port as
    missing until an adapter is plugged in there."""
    if "://" in text or text.startswith("replay:") or not Path(text).expanduser().exists():
        return text
    return serial_port(text)


def serial_port(text: str) -> str:
    """A serial port as `csm log`/`csm monitor` take it: a URL (`loop://`, `socket://h:p`) or `replay:FILE`
    passes as is; a path must exist and be a serial device (a tty or a pty), not a folder, a file or a
    device such as /dev/null, which would only be waited on in silence."""
    if "://" in text or text.startswith("replay:"):
        return text
    path = Path(text).expanduser()
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text} does not exist: plug the adapter in, or start `csm simulate`; "
                                         "`csm devices` lists what is found")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder, not a serial port")
    st = path.stat()
    if not _is_char_device(st.st_mode):
        raise argparse.ArgumentTypeError(f"{text} is a file, not a serial port (captured bytes replay with "
                                         f"replay:{text})")
    subsystem = SYS_CHAR_DEVICES / f"{os.major(st.st_rdev)}:{os.minor(st.st_rdev)}" / "subsystem"
    if subsystem.exists() and subsystem.resolve().name != "tty":  # ptys have no entry; ttys say "tty"
        raise argparse.ArgumentTypeError(f"{text} is a {subsystem.resolve().name} device, not a serial port")
    return text


def _is_char_device(mode: int) -> bool:
    import stat

    return stat.S_ISCHR(mode)


def folder_for_output(text: str) -> Path:
    """A folder for session files: made if missing (with its parents); an existing file is refused."""
    return _folder_to_write(text, "the session files")


def _folder_to_write(text: str, what: str) -> Path:
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file; give a folder for {what}")
    return path


DEFAULT_BUMP_AFTER_BLOCKS = 3  # as chains/evm/transactions.py (not imported here: web3 loads slowly)


def claims_chain_options(group: argparse._ActionsContainer, *, required: bool) -> None:
    """The options that name where claims go and how their fees are paid, the same for `csm claims sync`
    and `submit` (required) and for the recorders that sync by themselves, `csm log` and `csm serve`
    (optional: without --chain, claims stay in the outbox). A ship's fee limit is set where it records."""
    group.add_argument("--chain", required=required, default="", metavar="DEPLOYMENT",
                       help="deployment record (`csm chain list`)")
    group.add_argument("--wallet", required=required, default="",
                       help="wallet that pays the fees of claims (`csm wallet list`)")
    group.add_argument("--password-env", default=None, metavar="VAR",
                       help="environment variable holding the wallet password (else asked; CSM_KEYSTORE_PASSWORD "
                            "is read when set)")
    group.add_argument("--rpc", default="", help="RPC URL (default: the deployment record's)")
    group.add_argument("--max-fee-gwei", type=number(above=0.0, maximum=1e6), default=None, metavar="GWEI",
                       help="EVM: the fee limit, max fee per gas in gwei; no transaction or fee bump pays more "
                            "(default: none; a bump then pays at most 4x the first fee)")
    group.add_argument("--bump-after-blocks", type=whole(minimum=0, maximum=10_000), default=DEFAULT_BUMP_AFTER_BLOCKS,
                       metavar="N", help="EVM: replace a claim transaction still unmined after N blocks with one at "
                                         f"a higher fee, same nonce (0: never; default {DEFAULT_BUMP_AFTER_BLOCKS})")


def evm_fees(args: argparse.Namespace) -> dict[str, int]:
    """`--max-fee-gwei` and `--bump-after-blocks` as the EVM transaction sender's options."""
    fees = {"bump_after_blocks": int(args.bump_after_blocks)}
    if args.max_fee_gwei is not None:
        fees["max_fee_per_gas"] = int(args.max_fee_gwei * 10**9)
    return fees


def refuse_chain_options_without_chain(args: argparse.Namespace) -> None:
    """A claims option given to a recorder without --chain would be ignored silently (a ship would sail
    believing its fee limit or wallet were set): refuse it, before anything is opened."""
    if args.chain:
        return
    given = [("--wallet", bool(args.wallet)), ("--password-env", args.password_env is not None),
             ("--rpc", bool(args.rpc)), ("--max-fee-gwei", args.max_fee_gwei is not None),
             ("--bump-after-blocks", args.bump_after_blocks != DEFAULT_BUMP_AFTER_BLOCKS)]
    named = [name for name, present in given if present]
    if named:
        raise CsmError(f"{' and '.join(named)} {'is' if len(named) == 1 else 'are'} only used with --chain "
                       "DEPLOYMENT (where claims are synced); add --chain, or leave them out to keep claims in "
                       "the outbox")
