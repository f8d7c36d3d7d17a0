@echo off
chcp 65001 >nul
setlocal EnableExtensions
rem dvcq offline installer. Saved as UTF-8 without BOM; the two lines above must stay ASCII.
rem Finds a Python the bundle fits (cai-dat.py --kiem-tra says why the others do not), then cai-dat.py
rem reuses or rebuilds %LOCALAPPDATA%\dvcq\.venv, installs dvcq from the wheels beside this file (no
rem internet needed) and writes the forms and the control workbook into the Documents folder.
rem Arguments are passed on to cai-dat.py (cai-lai-tu-dau.bat passes --lam-lai).
title Cài đặt dvcq

rem "%~dp0." and not "%~dp0": a trailing backslash would escape the closing quote.
set "BUNDLE=%~dp0."
set "VENV=%LOCALAPPDATA%\dvcq\.venv"

echo ============================================================
echo   CÀI ĐẶT DVCQ (không cần mạng internet)
echo ============================================================
echo.

if not exist "%BUNDLE%\dvcq-*.whl" goto :unpacked
if not exist "%BUNDLE%\cai-dat.py" goto :unpacked

rem Checked before anything is created: a 32-bit Windows says x86 and has no PROCESSOR_ARCHITEW6432.
if /i "%PROCESSOR_ARCHITECTURE%"=="x86" if not defined PROCESSOR_ARCHITEW6432 (
    echo [LỖI] Máy này chạy Windows 32-bit. dvcq cần Windows 10 hoặc 11 bản 64-bit.
    goto :fail
)

echo [1/4] Tìm Python 3.10 đến 3.14, bản 64-bit...
rem "<nul": a launcher that offers to install a missing version must not wait for an answer;
rem "2>nul": its own message for a version that is not there is in English.
set "PY="
where py >nul 2>nul
if not errorlevel 1 (
    for %%V in (3.14 3.13 3.12 3.11 3.10) do if not defined PY (
        py -%%V "%BUNDLE%\cai-dat.py" --kiem-tra <nul 2>nul && set "PY=py -%%V"
    )
)
if not defined PY (
    for %%P in (python3.14 python3.13 python3.12 python3.11 python3.10 python) do if not defined PY (
        %%P "%BUNDLE%\cai-dat.py" --kiem-tra <nul 2>nul && set "PY=%%P"
    )
)
if not defined PY (
    echo [LỖI] Máy chưa có Python 3.10 đến 3.14 bản 64-bit dùng được.
    echo Hãy cài Python theo mục 1 của tệp HUONG-DAN.txt ^(tệp python-3.13.x-amd64.exe tải từ
    echo https://www.python.org/downloads/windows/^), rồi bấm đúp lại cai-dat.bat.
    goto :fail
)

%PY% "%BUNDLE%\cai-dat.py" %* <nul
if errorlevel 1 goto :fail
rem What Excel will run, seen from outside Python (a Python that redirects AppData would hide it).
if not exist "%VENV%\Scripts\pythonw.exe" (
    echo [LỖI] Windows không thấy "%VENV%\Scripts\pythonw.exe" sau khi cài.
    echo Hãy gỡ Python bản Microsoft Store, cài Python theo mục 1 của HUONG-DAN.txt, rồi chạy lại cai-dat.bat.
    goto :fail
)
echo.
pause
exit /b 0

:unpacked
echo [LỖI] Không thấy tệp dvcq-*.whl hoặc cai-dat.py cạnh tệp cai-dat.bat.
echo Hãy giải nén TOÀN BỘ tệp dvcq-windows.zip ra máy ^(chuột phải, chọn Giải nén tất cả^),
echo rồi bấm đúp cai-dat.bat trong thư mục đã giải nén.
goto :fail

:fail
echo.
echo Cài đặt CHƯA xong. Đọc HUONG-DAN.txt hoặc gửi ảnh màn hình này cho cán bộ kỹ thuật.
echo.
pause
exit /b 1
