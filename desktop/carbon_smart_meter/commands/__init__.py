"""The `csm` subcommands: one module per command group, each with `register(subparsers)`.

They sit on the top layer, beside `cli` and `app`, because a command composes the layers below it
(devices, storage, carbon, chains, the live session); no domain package imports a command module.
"""
