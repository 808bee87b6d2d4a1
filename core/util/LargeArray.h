#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace anthology {

namespace largearray {
// Uninitialized memory for `bytes`; see LargeArray. Throws std::bad_alloc as operator new does.
void *allocate(std::size_t bytes);
void release(void *p, std::size_t bytes) noexcept;
} // namespace largearray

// An array of n trivially copyable T left uninitialized (std::vector zero-fills, and the
// matching code overwrites every element anyway). From 2 MiB up it sits on whole 2 MiB-aligned
// pages advised as transparent huge pages (Linux): the first touch of fresh memory is where a
// large buffer's time goes on a VM, and a huge page takes one fault where 4 KiB pages take 512.
// Elsewhere, or when the kernel declines, it is ordinary memory.
template <typename T> class LargeArray
{
    static_assert(std::is_trivially_copyable_v<T>);

public:
    LargeArray() = default;
    explicit LargeArray(std::size_t n)
        : m_data(n ? static_cast<T *>(largearray::allocate(n * sizeof(T))) : nullptr), m_size(n)
    {
    }
    LargeArray(const LargeArray &other) : LargeArray(other.m_size)
    {
        std::copy_n(other.m_data, m_size, m_data);
    }
    LargeArray(LargeArray &&other) noexcept
        : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0))
    {
    }
    LargeArray &operator=(LargeArray other) noexcept
    {
        std::swap(m_data, other.m_data);
        std::swap(m_size, other.m_size);
        return *this;
    }
    ~LargeArray()
    {
        if (m_data)
            largearray::release(m_data, m_size * sizeof(T));
    }

    T *data() { return m_data; }
    const T *data() const { return m_data; }
    std::size_t size() const { return m_size; }
    T &operator[](std::size_t i) { return m_data[i]; }
    const T &operator[](std::size_t i) const { return m_data[i]; }

private:
    T *m_data = nullptr;
    std::size_t m_size = 0;
};

} // namespace anthology
