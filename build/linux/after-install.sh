#!/bin/bash
# Debian maintainer script (postinst): link the binary into PATH as electron-builder's default does,
# set chrome-sandbox as it needs, and let Mailroom bind ports below 1024 (25, 110, 143, 465, 587, 993,
# 995) without running as root.
set -e
APP='/opt/${sanitizedProductName}/${executable}'

if type update-alternatives >/dev/null 2>&1; then
    if [ -L '/usr/bin/${executable}' ] && [ -e '/usr/bin/${executable}' ] && [ "$(readlink '/usr/bin/${executable}')" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' "$APP" 100 || ln -sf "$APP" '/usr/bin/${executable}'
else
    ln -sf "$APP" '/usr/bin/${executable}'
fi

if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if command -v setcap >/dev/null 2>&1; then
    setcap 'cap_net_bind_service=+ep' "$APP" || echo "mailroom: could not grant cap_net_bind_service; use ports above 1024 or run: sudo setcap cap_net_bind_service=+ep $APP" >&2
fi

if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi
