"""API key commands: ``keys create``, ``keys list`` and ``keys revoke``. Only key hashes are stored."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from graph_service.cli.app import JsonOption, app, console, emit_json, state, user_errors
from graph_service.services.keys import Role, create_key, revoke_key

keys_app = typer.Typer(help="Manage API keys (X-API-Key) for the HTTP API.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")



@keys_app.command("create")
def create(
    ctx: typer.Context,
    role: Annotated[Role, typer.Option("--role", help="viewer reads; editor writes; admin imports and manages keys")],
    label: Annotated[str, typer.Option("--label", help="a note saying whose key this is")] = "",
    as_json: JsonOption = False,
) -> None:
    """Create a key and print it once. Only its SHA-256 hash is stored; it cannot be shown again."""
    with state(ctx).store() as store, user_errors():
        key, record = create_key(store, role, label, actor="cli")
    if as_json:
        emit_json({"id": record.id, "role": record.role, "label": record.label, "key": key})
        return
    console.print(f"Created {record.role} key {record.id}" + (f" ({record.label})" if record.label else "") + ".")
    console.print("Send it in the X-API-Key header. It is shown only now:")
    print(key)


@keys_app.command("list")
def list_keys(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List key records (ids, roles, labels; never keys or hashes)."""
    with state(ctx).store() as store, user_errors():
        records = store.api_keys()
    rows = [r.model_dump(exclude={"hash"}) for r in records]
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "role", "label", "created", "revoked")
    for r in rows:
        table.add_row(r["id"], r["role"], r["label"], r["created"], "yes" if r["revoked"] else "")
    console.print(table if rows else "No API keys yet: `partner-graph keys create --role admin`.")


@keys_app.command("revoke")
def revoke(ctx: typer.Context, key_id: Annotated[str, typer.Argument(help="the key's id from `keys list`")]) -> None:
    """Revoke a key; requests with it get 401 from then on."""
    with state(ctx).store() as store, user_errors():
        record = revoke_key(store, key_id, actor="cli")
    console.print(f"Key {record.id} ({record.role}) is revoked.")
