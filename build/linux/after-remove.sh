#!/bin/bash
# Debian maintainer script (postrm): remove the PATH link. The mail data in each user's
# ~/.config/Mailroom is left alone.
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/usr/bin/${executable}' || true
else
    rm -f '/usr/bin/${executable}'
fi
