#!/usr/bin/env bash
# Renders build/icons/icon.svg into the sizes the installers need (run once after changing the svg;
# the results are committed). Needs Debian's librsvg2-bin, imagemagick and icnsutils.
set -euo pipefail
cd "$(dirname "$0")/../build/icons"
for size in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert -w "$size" -h "$size" icon.svg -o "${size}x${size}.png"
done
cp 1024x1024.png icon.png
/usr/bin/convert 16x16.png 24x24.png 32x32.png 48x48.png 64x64.png 128x128.png 256x256.png icon.ico
png2icns icon.icns 16x16.png 32x32.png 48x48.png 128x128.png 256x256.png 512x512.png 1024x1024.png >/dev/null
