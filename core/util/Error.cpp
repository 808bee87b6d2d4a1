#include "util/Error.h"

using namespace Qt::StringLiterals;

namespace anthology {

QString Error::toString() const
{
    QString out;
    if (!file.isEmpty()) {
        out += file;
        if (line > 0) {
            out += u':' + QString::number(line);
            if (column > 0)
                out += u':' + QString::number(column);
        }
        out += u": "_s;
    }
    if (!key.isEmpty())
        out += key + u": "_s;
    out += message;
    return out;
}

} // namespace anthology
