"""The publisher's tools (``movement-player publish ...``): workspace, packs, license keys. No Qt, no vlc.

- :mod:`workspace`: the publisher's key pair, name and encrypted content keys, in one folder.
- :mod:`pack`: a session pack from a source folder (or one long video): previews copied, paid parts
  encrypted, the manifest written and checked with the app's own parser.
- :mod:`sales`: license keys issued and recorded in the workspace's ledger; a key checked against a pack.
"""
