#include "util/ShortStringCache.h"

#include <QHashFunctions>

namespace anthology {

QString ShortStringCache::fromUtf8(QByteArrayView utf8)
{
    if (utf8.size() > kMaxBytes)
        return QString::fromUtf8(utf8);
    Slot &slot = m_slots[qHash(utf8) % m_slots.size()];
    if (slot.utf8 != utf8 || slot.text.isNull()) {
        slot.utf8 = utf8.toByteArray();
        slot.text = QString::fromUtf8(utf8);
    }
    return slot.text;
}

} // namespace anthology
