/*
 * A stand-in bcryptprimitives.dll for the Windows smoke test under Wine.
 *
 * Go 1.24 and later fill their random seed with ProcessPrng from
 * bcryptprimitives.dll and stop at start-up without it ("fatal error:
 * bcryptprimitives.dll not found"). Wine 8.0, Debian bookworm's, has no such
 * DLL; later Wines do, and then the test leaves theirs alone. This one
 * answers ProcessPrng with BCryptGenRandom, which Wine 8.0 has. It is built
 * with mingw-w64 into the test's throwaway Wine prefix only; nothing we ship
 * contains it.
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
