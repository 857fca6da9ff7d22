"""The publisher's tools (``movement-player publish ...``): workspace, packs, license keys. No Qt, no vlc.

- :mod:`~player.publisher.workspace`: the key pair, the publisher's name, sealed content keys
  (:mod:`~player.publisher.keystore`) and the ledger of keys issued (:mod:`~player.publisher.ledger`).
- :mod:`~player.publisher.pack`: a session pack from a source folder (:mod:`~player.publisher.source`),
  or with parts cut from one long video (:mod:`~player.publisher.video`): previews copied, paid parts
  encrypted, the manifest written (:mod:`~player.publisher.tomlwrite`) and checked by the app's parser.
- :mod:`~player.publisher.sales`: a license key issued per sale; a key checked against a pack.
"""
