; Accueil ESC – NSIS additions (electron-builder nsis.include), see docs/release.md.
; IT pre-configures the site hub of a desk at install time, silently:
;   accueil-esc-setup-X.Y.Z.exe /S /HUB=https://hub-blosne:4780/
; which writes the machine-wide file C:\ProgramData\Accueil ESC\poste.json read at first start
; (src/main/setup/machine-config.ts). Without /HUB= nothing is written (an existing file is kept).
; Not verified on this project's machines (no Windows, no NSIS): check on a release machine.
!include "FileFunc.nsh"

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/HUB=" $R1
  ${IfNot} ${Errors}
    SetShellVarContext all
    CreateDirectory "$APPDATA\Accueil ESC"
    FileOpen $R2 "$APPDATA\Accueil ESC\poste.json" w
    FileWrite $R2 '{ "hubUrl": "$R1" }$\r$\n'
    FileClose $R2
  ${EndIf}
!macroend
