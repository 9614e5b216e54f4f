"""A supervisor's signing key: Ed25519, the private half sealed under their password.

The private key is kept only encrypted: AES-256-GCM under a key derived from the password with
scrypt (n=2^15, r=8, p=1, a random 16-byte salt), the login name and public key bound in as
associated data. Without the password the stored files cannot make a signature. The fingerprint
is OpenSSH's style: ``SHA256:`` and the unpadded base64 of the SHA-256 of the raw public key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class KeyPair:
    public_key: str  # base64 of the 32 raw bytes
    sealed: str  # JSON: the private key encrypted under the password
    fingerprint: str


def fingerprint(public_key: str) -> str:
    digest = hashlib.sha256(unb64(public_key)).digest()
    return "SHA256:" + b64(digest).rstrip("=")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(password.encode("utf-8"))


def new_key_pair(name: str, password: str) -> KeyPair:
    """A fresh key pair for the login ``name``, its private half sealed under ``password``."""
    private = Ed25519PrivateKey.generate()
    public = b64(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _derive(password, salt, **SCRYPT)
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    sealed = AESGCM(key).encrypt(nonce, raw, f"{name}\0{public}".encode())
    document = {"kdf": "scrypt", **SCRYPT, "salt": b64(salt), "cipher": "aes-256-gcm", "nonce": b64(nonce),
                "public_key": public, "sealed": b64(sealed)}
    return KeyPair(public, json.dumps(document, sort_keys=True), fingerprint(public))


def unseal(name: str, sealed: str, password: str) -> Ed25519PrivateKey | None:
    """The private key, or None when ``password`` is not the one it was sealed under."""
    document = json.loads(sealed)
    key = _derive(password, unb64(document["salt"]), document["n"], document["r"], document["p"])
    try:
        raw = AESGCM(key).decrypt(unb64(document["nonce"]), unb64(document["sealed"]),
                                  f"{name}\0{document['public_key']}".encode())
    except InvalidTag:
        return None
    return Ed25519PrivateKey.from_private_bytes(raw)


def verify(public_key: str, signature: str, message: bytes) -> bool:
    """Whether ``signature`` (base64) is ``public_key``'s over ``message``; malformed input is False."""
    try:
        Ed25519PublicKey.from_public_bytes(unb64(public_key)).verify(unb64(signature), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
