#include "util/SeededRandom.h"

namespace anthology {

namespace {

__extension__ typedef unsigned __int128 uint128;

std::uint64_t splitmix64(std::uint64_t &x)
{
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

// FNV-1a: stable across runs and platforms, unlike qHash which is salted per process.
std::uint64_t fnv1a(QByteArrayView bytes)
{
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

} // namespace

SeededRandom::SeededRandom(std::uint64_t seed)
{
    std::uint64_t x = seed;
    for (auto &s : m_state)
        s = splitmix64(x);
}

SeededRandom SeededRandom::derive(std::uint64_t seed, QByteArrayView key)
{
    std::uint64_t x = seed ^ fnv1a(key);
    return SeededRandom(splitmix64(x));
}

std::uint64_t SeededRandom::next()
{
    const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
    const std::uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotl(m_state[3], 45);
    return result;
}

std::uint64_t SeededRandom::below(std::uint64_t bound)
{
    // Lemire: multiply-high maps next() into [0, bound); reject the few low products that bias it.
    uint128 m = static_cast<uint128>(next()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
        const std::uint64_t threshold = (0 - bound) % bound;
        while (low < threshold) {
            m = static_cast<uint128>(next()) * bound;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

double SeededRandom::uniform()
{
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

} // namespace anthology
