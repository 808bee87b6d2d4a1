#include "llm/ExchangeRelay.h"

namespace anthology {

void ExchangeRelay::enlist(quint64 id)
{
    const std::lock_guard lock(m_mutex);
    m_live.insert(id);
}

void ExchangeRelay::offer(int endpoint, HttpExchange exchange)
{
    const std::lock_guard lock(m_mutex);
    m_waiting[endpoint].push_back(std::move(exchange));
}

ExchangeRelay::Whereabouts ExchangeRelay::withdraw(quint64 id)
{
    const std::lock_guard lock(m_mutex);
    if (m_live.remove(id))
        return Whereabouts::OnWire;
    for (auto &queue : m_waiting) {
        for (auto it = queue.begin(); it != queue.end(); ++it) {
            if (it->id == id) {
                queue.erase(it);
                return Whereabouts::Waiting;
            }
        }
    }
    return Whereabouts::Finished;
}

QList<HttpExchange> ExchangeRelay::takeBack(int endpoint, int count)
{
    QList<HttpExchange> out;
    const std::lock_guard lock(m_mutex);
    for (auto it = m_waiting.begin(); it != m_waiting.end() && out.size() < count; ++it) {
        if (endpoint >= 0 && it.key() != endpoint)
            continue;
        std::deque<HttpExchange> &queue = it.value();
        while (!queue.empty() && out.size() < count) {
            out.append(std::move(queue.front()));
            queue.pop_front();
        }
    }
    return out;
}

int ExchangeRelay::waiting(int endpoint) const
{
    const std::lock_guard lock(m_mutex);
    const auto it = m_waiting.constFind(endpoint);
    return it == m_waiting.constEnd() ? 0 : int(it->size());
}

std::optional<HttpExchange> ExchangeRelay::relay(quint64 finishedId, int endpoint, bool answered)
{
    const std::lock_guard lock(m_mutex);
    if (!m_live.remove(finishedId) || !answered)
        return std::nullopt;
    const auto it = m_waiting.find(endpoint);
    if (it == m_waiting.end() || it->empty())
        return std::nullopt;
    HttpExchange next = std::move(it->front());
    it->pop_front();
    m_live.insert(next.id);
    return next;
}

void ExchangeRelay::forget(quint64 id)
{
    const std::lock_guard lock(m_mutex);
    m_live.remove(id);
}

} // namespace anthology
