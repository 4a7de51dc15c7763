"""Sub-commands of ``llais`` (each module has ``register(subparsers)``)."""
