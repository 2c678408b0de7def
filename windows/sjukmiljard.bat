@echo off
rem ===========================================================================================
rem  Sjukmiljard.bat - Sjukskrivningsmiljarden for Windows (sjukmiljard, see README.md).
rem
rem  Drop one or more indata workbooks (.xlsx) or folders on this file: each result is written
rem  beside its input as NAMN-resultat.xlsx. Double-click it: every workbook in the folder
rem  inkorg\ beside this file is converted into utkorg\ (both are created when missing).
rem  A population file downloaded from SCB (xlsx, csv or txt), dropped together with the
rem  workbooks or lying in inkorg\, is the population for every workbook of that run: all
rem  paths go to sjukmiljard, which tells the files apart by their content.
rem  Inputs are never moved, changed or deleted. Options typed after the name in a command
rem  window (for example --check) are passed on to sjukmiljard as they are.
rem
rem  First run: finds Python 3.11 or newer, 64-bit (py -3.13, -3.12, -3.11, py -3, python on
rem  PATH, then %LOCALAPPDATA%\Programs\Python\Python3* and %ProgramFiles%\Python3*); each
rem  candidate must pass a version check, so the Microsoft Store stub "python" (which only
rem  prints a message) is not taken. Creates .venv beside this file and installs sjukmiljard
rem  into it: from wheels\ beside this file without network when that folder exists (if that
rem  fails, once more from wheels\ plus the package registry for what is missing), otherwise
rem  from the package registry. A marker file in .venv records what was installed; later runs
rem  start at once, and reinstall only when wheels\ holds another sjukmiljard wheel (a newer
rem  bundle unzipped over this one) or the .venv no longer works.
rem
rem  Environment switches:
rem    SJUKMILJARD_NO_PAUSE=1     do not wait for a key press before the window closes
rem    SJUKMILJARD_NO_EXPLORER=1  do not open utkorg\ (or the empty inkorg\) in Explorer
rem                               after a double-click run
rem
rem  Exit codes: 0 all converted, 1 some workbook rejected or no file in inkorg\ that sjukmiljard
rem  reads (.xlsx, .xlsm, .ods, .csv, .txt, .tsv), 2 wrong usage
rem  (0-2 come from sjukmiljard itself and are passed on unchanged), 9 no Python 3.11 or newer,
rem  10 .venv could not be created, 11 installing sjukmiljard failed.
rem
rem  Known limit (Windows itself): Explorer quotes a dropped path only when it has a space, so a
rem  dropped file whose path has an ampersand but no space is cut there by cmd before this file
rem  runs. Such files work from inkorg\ (double-click) or with a space in the name.
rem
rem  This file is ASCII with CRLF line endings (see .gitattributes): Swedish is written without
rem  a-ring and umlauts so that every code page shows the messages.
rem ===========================================================================================
setlocal EnableExtensions DisableDelayedExpansion
set "SJ_HOME=%~dp0"
set "SJ_VENV=%~dp0.venv"
set "SJ_PY=%~dp0.venv\Scripts\python.exe"
set "SJ_MARKER=%~dp0.venv\sjukmiljard-installerad.txt"
set "SJ_CHECK=import sys; sys.exit(0 if sys.version_info >= (3, 11) and sys.maxsize > 2**32 else 1)"
set "SJ_RC=0"
rem UTF-8 for Python's files and pipes; a PYTHONHOME or PYTHONPATH set for other programs is
rem not wanted here.
set "PYTHONUTF8=1"
set "PYTHONHOME="
set "PYTHONPATH="
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PIP_NO_INPUT=1"
rem UTF-8 in the console so a-ring, a-umlaut and o-umlaut in paths and messages survive; the
rem code page the window had is set back at the end.
set "SJ_OLDCP="
for /f "tokens=2 delims=:." %%C in ('chcp 2^>nul') do set /a "SJ_OLDCP=%%C" >nul 2>&1
if "%SJ_OLDCP%"=="0" set "SJ_OLDCP="
if "%SJ_OLDCP%"=="65001" set "SJ_OLDCP="
chcp 65001 >nul 2>&1 || set "SJ_OLDCP="

call :make_stamp
set "SJ_OLDSTAMP="
if exist "%SJ_MARKER%" set /p SJ_OLDSTAMP=<"%SJ_MARKER%"
if not exist "%SJ_PY%" goto install
if not "%SJ_OLDSTAMP%"=="%SJ_STAMP%" goto install
"%SJ_PY%" -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('sjukmiljard') is None)" >nul 2>&1
if not "%errorlevel%"=="0" goto install
goto run

rem ----- first run: Python, .venv, sjukmiljard --------------------------------------------------
:install
echo.
echo Sjukmiljard installeras (forsta gangen, eller efter en ny version). Det tar en stund ...
call :find_python
if not defined SJ_FOUND goto no_python
call :remove_venv
if exist "%SJ_VENV%\" goto venv_failed
"%SJ_BASE%" %SJ_BASE_ARGS% -m venv "%SJ_VENV%"
if not "%errorlevel%"=="0" goto venv_failed
if not exist "%SJ_PY%" goto venv_failed
if not exist "%SJ_HOME%wheels\" goto install_online
"%SJ_PY%" -m pip install --quiet --no-index --find-links "%SJ_HOME%wheels" sjukmiljard
if "%errorlevel%"=="0" goto installed
echo.
echo Installationen fran mappen wheels gick inte. Forsoker hamta det som saknas fran internet ...
"%SJ_PY%" -m pip install --quiet --retries 1 --timeout 15 --find-links "%SJ_HOME%wheels" sjukmiljard
if "%errorlevel%"=="0" goto installed
goto install_failed
:install_online
"%SJ_PY%" -m pip install --quiet sjukmiljard
if not "%errorlevel%"=="0" goto install_failed
:installed
>"%SJ_MARKER%" echo %SJ_STAMP%
echo Installationen ar klar.
echo.

rem ----- the conversion ---------------------------------------------------------------------------
:run
if "%~1"=="" goto run_inkorg
"%SJ_PY%" -m sjukmiljard %*
set "SJ_RC=%errorlevel%"
goto ran

:run_inkorg
if not exist "%SJ_HOME%inkorg\" mkdir "%SJ_HOME%inkorg"
if not exist "%SJ_HOME%utkorg\" mkdir "%SJ_HOME%utkorg"
rem The file kinds sjukmiljard reads: workbooks (xlsx, xlsm, ods), and SCB population files as xlsx or text.
set "SJ_ANY="
for %%E in (xlsx xlsm ods csv txt tsv) do call :find_kind %%E
if not defined SJ_ANY goto empty_inkorg
echo Konverterar arbetsbockerna i inkorg till utkorg ...
echo.
"%SJ_PY%" -m sjukmiljard "%SJ_HOME%inkorg" -o "%SJ_HOME%utkorg"
set "SJ_RC=%errorlevel%"
if "%SJ_RC%"=="0" call :open_folder utkorg
if "%SJ_RC%"=="1" call :open_folder utkorg
goto ran

:empty_inkorg
echo.
echo Mappen inkorg ar tom.
echo Lagg indata-arbetsbockerna (.xlsx) i mappen inkorg och dubbelklicka pa %~nx0 igen,
echo eller dra filerna och slapp dem pa %~nx0. Ny befolkning fran SCB (.xlsx eller .csv)
echo laggs i inkorg bredvid arbetsboken, eller slapps tillsammans med den.
set "SJ_RC=1"
call :open_folder inkorg
goto finish

:ran
echo.
if "%SJ_RC%"=="0" goto finish
if "%SJ_RC%"=="1" echo Allt kunde inte konverteras: se meddelandena ovan, "Avvisad: ...".
if "%SJ_RC%"=="2" echo sjukmiljard anropades fel: se meddelandet ovan.
if "%SJ_RC%"=="1" goto finish
if "%SJ_RC%"=="2" goto finish
echo FEL: sjukmiljard avslutades ovantat (kod %SJ_RC%). Kontakta forvaltaren, se LASMIG.txt.
goto finish

rem ----- errors -----------------------------------------------------------------------------------
:no_python
echo.
echo FEL: Python 3.11 eller nyare saknas pa den har datorn.
echo.
echo Be IT installera Python 3.13 for Windows, 64-bitars ("Windows installer (64-bit)"
echo fran python.org), med tillvalet "py launcher". Python 3.11 eller 3.12 gar ocksa bra.
echo Dubbelklicka sedan pa %~nx0 igen.
set "SJ_RC=9"
goto finish

:venv_failed
echo.
echo FEL: kunde inte skapa mappen .venv i "%SJ_HOME%"
echo Stang andra fonster med Sjukmiljard. Packa upp zip-filen i en mapp dar du far skriva
echo (till exempel Dokument) och forsok igen.
echo Hjalper inte det: be IT kontrollera att Python far koras fran den mappen.
set "SJ_RC=10"
goto finish

:install_failed
echo.
echo FEL: sjukmiljard kunde inte installeras (se meddelandena ovan).
if exist "%SJ_HOME%wheels\" echo Mappen wheels har filer for Python 3.11, 3.12 och 3.13, 64-bitars.
if not exist "%SJ_HOME%wheels\" echo Mappen wheels saknas bredvid %~nx0: packa upp hela sjukmiljard-windows.zip
if not exist "%SJ_HOME%wheels\" echo med "Extrahera alla" och kor %~nx0 i den uppackade mappen.
echo Kontakta forvaltaren (se LASMIG.txt) och skicka med texten ovan.
set "SJ_RC=11"
goto finish

rem ----- the end: exit code, pause ----------------------------------------------------------------
:finish
if defined SJ_OLDCP chcp %SJ_OLDCP% >nul 2>&1
if "%SJUKMILJARD_NO_PAUSE%"=="1" goto end
echo.
echo Tryck pa valfri tangent for att stanga fonstret . . .
pause >nul
:end
exit /b %SJ_RC%

rem ----- subroutines ------------------------------------------------------------------------------
rem What is to be installed: "registret", or the sjukmiljard wheels in wheels\ (a newer bundle
rem unzipped over this one brings another wheel, and so a fresh install).
:make_stamp
set "SJ_STAMP=registret"
if not exist "%SJ_HOME%wheels\" exit /b 0
set "SJ_STAMP=wheels"
rem (dir, not a quoted wildcard in "for": Wine's cmd does not expand those.)
for /f "delims=" %%W in ('dir /b /a-d /on "%SJ_HOME%wheels\sjukmiljard-*.whl" 2^>nul') do call :add_stamp "%%W"
exit /b 0
:add_stamp
set "SJ_STAMP=%SJ_STAMP% %~1"
exit /b 0

rem Sets SJ_ANY when inkorg\ holds a file named *.%1.
:find_kind
dir /b /a-d "%SJ_HOME%inkorg\*.%~1" >nul 2>&1
if "%errorlevel%"=="0" set "SJ_ANY=1"
exit /b 0

rem Sets SJ_FOUND, SJ_BASE and SJ_BASE_ARGS for the first Python 3.11 or newer, 64-bit; SJ_FOUND
rem stays undefined when there is none. The install folders are tried newest name first
rem (Python313 before Python312). No "exit /b" inside the loops: Wine's cmd goes on looping.
:find_python
set "SJ_FOUND="
set "SJ_BASE="
set "SJ_BASE_ARGS="
for %%V in (-3.13 -3.12 -3.11 -3) do if not defined SJ_FOUND call :try_python py %%V
if not defined SJ_FOUND call :try_python python
if defined SJ_FOUND exit /b 0
set "SJ_DIR=%LOCALAPPDATA%\Programs\Python"
for /f "delims=" %%D in ('dir /b /ad /o-n "%SJ_DIR%\Python3*" 2^>nul') do if not defined SJ_FOUND if exist "%SJ_DIR%\%%D\python.exe" call :try_python "%SJ_DIR%\%%D\python.exe"
set "SJ_DIR=%ProgramFiles%"
for /f "delims=" %%D in ('dir /b /ad /o-n "%SJ_DIR%\Python3*" 2^>nul') do if not defined SJ_FOUND if exist "%SJ_DIR%\%%D\python.exe" call :try_python "%SJ_DIR%\%%D\python.exe"
exit /b 0
:try_python
"%~1" %2 -c "%SJ_CHECK%" >nul 2>&1
if not "%errorlevel%"=="0" exit /b 0
set "SJ_FOUND=1"
set "SJ_BASE=%~1"
set "SJ_BASE_ARGS=%~2"
exit /b 0

rem Removes .venv, trying again for a few seconds while a file in it is still in use (a
rem sjukmiljard that just ended, or a virus scan).
:remove_venv
set "SJ_TRIES=0"
:remove_venv_again
if not exist "%SJ_VENV%\" exit /b 0
if not "%SJ_TRIES%"=="0" ping -n 2 127.0.0.1 >nul 2>&1
set /a SJ_TRIES+=1
rmdir /s /q "%SJ_VENV%" >nul 2>&1
if %SJ_TRIES% lss 5 goto remove_venv_again
exit /b 0

:open_folder
if "%SJUKMILJARD_NO_EXPLORER%"=="1" exit /b 0
explorer "%SJ_HOME%%~1"
exit /b 0
