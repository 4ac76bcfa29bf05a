#!/usr/bin/env bash
# Regenerates every file in examples/: development keys (examples/dev-keys/, PUBLIC TEST
# MATERIAL — never use them for anything real), the JWK Set examples/jwks.json, the HMAC
# key examples/hmac.jwk and one token per algorithm. The RSA key is made by openssl (not
# `jwsgate keygen --alg RS256`, which makes RSA keys too) so that `sign` is shown to read
# openssl's keys.
#
#   bash examples/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --features cli --quiet
JWSGATE="${CARGO_TARGET_DIR:-target}/release/jwsgate"

rm -rf examples/dev-keys examples/jwks.json examples/hmac.jwk examples/*.jwt
mkdir -p examples/dev-keys

# iat is in the past and exp in the year 2100, so the tokens stay valid for the README.
CLAIMS='{"iss":"https://issuer.example","sub":"user-42","aud":"api://orders","scope":"orders:read orders:write","iat":1700000000,"exp":4102444800}'

for spec in ES256:es256-dev ES384:es384-dev ES512:es512-dev EdDSA:eddsa-dev; do
  alg=${spec%%:*}
  kid=${spec##*:}
  "$JWSGATE" keygen --alg "$alg" --kid "$kid" --out-dir examples/dev-keys >/dev/null
done

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out examples/dev-keys/rs256-dev.pem 2>/dev/null
"$JWSGATE" public-jwk --key examples/dev-keys/rs256-dev.pem --alg RS256 --kid rs256-dev \
  --add-to examples/dev-keys/jwks.json

mv examples/dev-keys/jwks.json examples/jwks.json
"$JWSGATE" keygen --alg HS256 --kid hs256-dev --out-dir examples/dev-keys >/dev/null
mv examples/dev-keys/hs256-dev.jwk examples/hmac.jwk

for spec in ES256:es256-dev ES384:es384-dev ES512:es512-dev EdDSA:eddsa-dev RS256:rs256-dev; do
  alg=${spec%%:*}
  kid=${spec##*:}
  file=$(echo "$alg" | tr 'A-Z' 'a-z')
  "$JWSGATE" sign --key "examples/dev-keys/$kid.pem" --alg "$alg" --kid "$kid" --typ at+jwt \
    --claims "$CLAIMS" >"examples/$file.jwt"
done
"$JWSGATE" sign --key examples/hmac.jwk --alg HS256 --typ at+jwt --claims "$CLAIMS" >examples/hs256.jwt

# Check every token against the shipped material.
for t in es256 es384 es512 eddsa rs256; do
  "$JWSGATE" verify --jwks examples/jwks.json --issuer https://issuer.example \
    --audience api://orders <"examples/$t.jwt" >/dev/null
done
"$JWSGATE" verify --hmac-key examples/hmac.jwk --issuer https://issuer.example \
  --audience api://orders <examples/hs256.jwt >/dev/null
echo "examples regenerated"
