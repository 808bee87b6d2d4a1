#include "util/Sha256.h"

#include <QCryptographicHash>

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ANTHOLOGY_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace anthology {

namespace {

#ifdef ANTHOLOGY_SHA_NI

bool cpuHasShaExtensions()
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return false;
    const bool ssse3 = c & (1u << 9);
    const bool sse41 = c & (1u << 19);
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return false;
    return ssse3 && sse41 && (b & (1u << 29)); // leaf 7 EBX bit 29: SHA
}

alignas(16) const quint32 roundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// The state lives in the two registers the instructions work on: ABEF and CDGH.
struct ShaState
{
    __m128i abef;
    __m128i cdgh;
};

__attribute__((target("sha,sse4.1,ssse3"))) void compress(ShaState &s, const uchar *block, qsizetype blocks)
{
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    for (; blocks > 0; --blocks, block += 64) {
        const ShaState saved = s;
        __m128i w[4]; // the last 16 schedule words, four per register
        for (int g = 0; g < 16; ++g) {
            __m128i &words = w[g & 3];
            if (g < 4) {
                words = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(block + 16 * g)),
                                         byteSwap);
            } else {
                // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time.
                const __m128i previous = w[(g - 1) & 3];
                __m128i next = _mm_sha256msg1_epu32(words, w[(g - 3) & 3]);
                next = _mm_add_epi32(next, _mm_alignr_epi8(previous, w[(g - 2) & 3], 4));
                words = _mm_sha256msg2_epu32(next, previous);
            }
            __m128i message =
                _mm_add_epi32(words, _mm_load_si128(reinterpret_cast<const __m128i *>(roundConstants + 4 * g)));
            s.cdgh = _mm_sha256rnds2_epu32(s.cdgh, s.abef, message);
            // Two rounds later the old ABEF is the new CDGH: the registers trade roles.
            message = _mm_shuffle_epi32(message, 0x0e);
            s.abef = _mm_sha256rnds2_epu32(s.abef, s.cdgh, message);
        }
        s.abef = _mm_add_epi32(s.abef, saved.abef);
        s.cdgh = _mm_add_epi32(s.cdgh, saved.cdgh);
    }
}

__attribute__((target("sha,sse4.1,ssse3"))) QByteArray hexWithShaExtensions(
    std::initializer_list<QByteArrayView> parts)
{
    // H0 as words a..h, rearranged to ABEF / CDGH (lane 3 the first letter).
    ShaState s;
    s.abef = _mm_set_epi32(int(0x6a09e667), int(0xbb67ae85), int(0x510e527f), int(0x9b05688c));
    s.cdgh = _mm_set_epi32(int(0x3c6ef372), int(0xa54ff53a), int(0x1f83d9ab), int(0x5be0cd19));
    uchar buffer[128];
    qsizetype buffered = 0;
    quint64 total = 0;
    for (const QByteArrayView part : parts) {
        const auto *data = reinterpret_cast<const uchar *>(part.data());
        qsizetype size = part.size();
        total += quint64(size);
        if (buffered > 0) {
            const qsizetype take = qMin<qsizetype>(64 - buffered, size);
            std::memcpy(buffer + buffered, data, size_t(take));
            buffered += take;
            data += take;
            size -= take;
            if (buffered < 64)
                continue;
            compress(s, buffer, 1);
            buffered = 0;
        }
        compress(s, data, size / 64);
        std::memcpy(buffer, data + (size & ~qsizetype(63)), size_t(size & 63));
        buffered = size & 63;
    }
    // Padding: 0x80, zeros, the bit length big-endian, to a whole block (two if it does not fit).
    buffer[buffered++] = 0x80;
    const qsizetype padded = buffered <= 56 ? 64 : 128;
    std::memset(buffer + buffered, 0, size_t(padded - buffered));
    const quint64 bits = total * 8;
    for (int i = 0; i < 8; ++i)
        buffer[padded - 1 - i] = uchar(bits >> (8 * i));
    compress(s, buffer, padded / 64);

    quint32 abef[4], cdgh[4];
    _mm_storeu_si128(reinterpret_cast<__m128i *>(abef), s.abef);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(cdgh), s.cdgh);
    const quint32 words[8] = {abef[3], abef[2], cdgh[3], cdgh[2], abef[1], abef[0], cdgh[1], cdgh[0]};
    static const char hexDigits[] = "0123456789abcdef";
    QByteArray out(64, Qt::Uninitialized);
    char *o = out.data();
    for (quint32 word : words)
        for (int shift = 28; shift >= 0; shift -= 4)
            *o++ = hexDigits[(word >> shift) & 0xf];
    return out;
}

#endif

} // namespace

bool Sha256::hardwareAccelerated()
{
#ifdef ANTHOLOGY_SHA_NI
    static const bool has = cpuHasShaExtensions();
    return has;
#else
    return false;
#endif
}

QByteArray Sha256::hex(std::initializer_list<QByteArrayView> parts)
{
#ifdef ANTHOLOGY_SHA_NI
    if (hardwareAccelerated())
        return hexWithShaExtensions(parts);
#endif
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QByteArrayView part : parts)
        hash.addData(part);
    return hash.result().toHex();
}

} // namespace anthology
