@echo off
chcp 65001 >nul
rem Start over: cai-dat.bat with --lam-lai, which removes %LOCALAPPDATA%\dvcq\.venv and makes it again.
rem The history (lich-su.sqlite) and the officer's workbooks stay. Saved as UTF-8 without BOM.
title Cài lại dvcq từ đầu
call "%~dp0cai-dat.bat" --lam-lai
