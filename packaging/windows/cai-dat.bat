@echo off
chcp 65001 >nul
setlocal EnableExtensions
rem dvcq offline installer. Saved as UTF-8 without BOM; the two lines above must stay ASCII.
rem Creates %LOCALAPPDATA%\dvcq\.venv from the wheels beside this file (no internet needed),
rem then writes the forms and the control workbook into Documents\dvcq.
title Cài đặt dvcq

rem "%~dp0." and not "%~dp0": a trailing backslash would escape the closing quote.
set "BUNDLE=%~dp0."
set "VENV=%LOCALAPPDATA%\dvcq\.venv"
set "OUT=%USERPROFILE%\Documents\dvcq"

echo ============================================================
echo   CÀI ĐẶT DVCQ (không cần mạng internet)
echo ============================================================
echo.

if not exist "%BUNDLE%\dvcq-*.whl" (
    echo [LỖI] Không thấy tệp dvcq-*.whl cạnh tệp cai-dat.bat.
    echo Hãy giải nén TOÀN BỘ thư mục dvcq-windows ra máy ^(chuột phải - Extract All^),
    echo rồi chạy lại cai-dat.bat trong thư mục đã giải nén.
    goto :fail
)

echo [1/4] Tìm Python 3.10 đến 3.13...
rem "<nul": a launcher that offers to install a missing version must not wait for an answer.
set "PY="
where py >nul 2>nul
if not errorlevel 1 (
    for %%V in (3.13 3.12 3.11 3.10) do if not defined PY (
        py -%%V -c "import sys" <nul >nul 2>nul && set "PY=py -%%V"
    )
)
if not defined PY (
    for %%P in (python3.13 python3.12 python3.11 python3.10 python) do if not defined PY (
        %%P -c "import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))" <nul >nul 2>nul && set "PY=%%P"
    )
)
if not defined PY (
    echo [LỖI] Máy chưa có Python 3.10, 3.11, 3.12 hoặc 3.13.
    echo Hãy cài Python 3.13 từ https://www.python.org/downloads/windows/
    echo ^(hoặc từ Microsoft Store^); khi cài nhớ đánh dấu "Add python.exe to PATH".
    echo Cài xong, chạy lại cai-dat.bat.
    goto :fail
)
echo       Dùng: %PY%

echo [2/4] Tạo môi trường Python riêng tại "%VENV%"...
if exist "%VENV%\Scripts\python.exe" (
    echo       Đã có sẵn, cài đè phiên bản mới.
) else (
    %PY% -m venv "%VENV%"
    if errorlevel 1 (
        echo [LỖI] Không tạo được môi trường Python tại "%VENV%".
        goto :fail
    )
)
if not exist "%VENV%\Scripts\python.exe" (
    echo [LỖI] Không thấy "%VENV%\Scripts\python.exe" sau khi tạo môi trường.
    echo Python bản Microsoft Store có thể ghi vào thư mục riêng của nó;
    echo hãy cài Python từ https://www.python.org/downloads/windows/ rồi chạy lại.
    goto :fail
)

echo [3/4] Cài dvcq từ thư mục "%BUNDLE%"...
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%BUNDLE%" --upgrade dvcq
if errorlevel 1 (
    echo [LỖI] Cài dvcq không thành công ^(xem thông báo của pip ở trên^).
    echo Bộ cài này có gói cho Python 3.10 đến 3.13, Windows 64-bit.
    goto :fail
)
if not exist "%VENV%\Scripts\dvcq.exe" (
    echo [LỖI] Không thấy "%VENV%\Scripts\dvcq.exe" sau khi cài.
    goto :fail
)

echo [4/4] Tạo biểu mẫu và bảng điều khiển trong "%OUT%"...
"%VENV%\Scripts\dvcq.exe" build --out "%OUT%"
if errorlevel 1 (
    echo [LỖI] Lệnh dvcq build không thành công ^(xem thông báo ở trên^).
    goto :fail
)
if not exist "%OUT%\dvcq-dieu-khien.xlsm" (
    echo [LỖI] Không thấy "%OUT%\dvcq-dieu-khien.xlsm".
    goto :fail
)

echo.
echo ============================================================
echo   CÀI ĐẶT XONG.
echo   Bảng điều khiển: "%OUT%\dvcq-dieu-khien.xlsm"
echo   Mở tệp này bằng Microsoft Excel, bấm "Enable Content" rồi dùng các nút.
echo ============================================================
start "" explorer "%OUT%"
echo.
pause
exit /b 0

:fail
echo.
echo Cài đặt CHƯA xong. Đọc HUONG-DAN.txt hoặc gửi ảnh màn hình này cho cán bộ kỹ thuật.
echo.
pause
exit /b 1
