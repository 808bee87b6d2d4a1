#include "util/LargeArray.h"

#include <cstdint>
#include <cstdlib>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace anthology::largearray {

namespace {

#ifdef __linux__
constexpr std::size_t kHugePage = std::size_t(2) << 20;

std::size_t roundUp(std::size_t n, std::size_t to)
{
    return (n + to - 1) / to * to;
}
#endif

} // namespace

void *allocate(std::size_t bytes)
{
#ifdef __linux__
    if (bytes >= kHugePage) {
        // Map one huge page more than needed, keep the aligned middle: the kernel backs a
        // range with a huge page only where a whole aligned 2 MiB lies inside the mapping.
        const std::size_t length = roundUp(bytes, kHugePage);
        void *map =
            mmap(nullptr, length + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (map == MAP_FAILED)
            throw std::bad_alloc();
        const auto start = reinterpret_cast<std::uintptr_t>(map);
        const std::uintptr_t aligned = roundUp(start, kHugePage);
        if (aligned > start)
            munmap(map, aligned - start);
        if (const std::uintptr_t end = start + length + kHugePage; end > aligned + length)
            munmap(reinterpret_cast<void *>(aligned + length), end - (aligned + length));
        // Advice only: with THP off the pages are simply 4 KiB ones.
        madvise(reinterpret_cast<void *>(aligned), length, MADV_HUGEPAGE);
        return reinterpret_cast<void *>(aligned);
    }
#endif
    void *p = std::malloc(bytes);
    if (!p)
        throw std::bad_alloc();
    return p;
}

void release(void *p, std::size_t bytes) noexcept
{
#ifdef __linux__
    if (bytes >= kHugePage) {
        munmap(p, roundUp(bytes, kHugePage));
        return;
    }
#endif
    std::free(p);
}

} // namespace anthology::largearray
