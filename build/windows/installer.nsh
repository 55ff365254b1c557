; NSIS additions: on uninstall, ask before deleting the mail data (it is kept by default).
!macro customUnInstall
  ${ifNot} ${isUpdated}
    MessageBox MB_YESNO|MB_ICONQUESTION "Also delete all mail, accounts and settings in $APPDATA\Mailroom?$\r$\n(Choose No to keep them for a later reinstall.)" /SD IDNO IDNO keepData
      RMDir /r "$APPDATA\Mailroom"
    keepData:
  ${endIf}
!macroend
