#include "matching/CategoryMap.h"

#include "util/Result.h"

namespace anthology {
using namespace Qt::StringLiterals;

Status CategoryMap::validate() const
{
    if (categoryCount < 1)
        return Error::user(u"expected at least one category, got %1"_s.arg(categoryCount)).withKey(trait);
    for (qsizetype i = 0; i < choiceToCategory.size(); ++i) {
        const int c = choiceToCategory[i];
        if (c < -1 || c >= categoryCount)
            return Error::user(u"choice %1 maps to category %2, expected -1 or 0..%3"_s.arg(i).arg(c).arg(
                                   categoryCount - 1))
                .withKey(trait);
    }
    for (auto it = humanCodeToCategory.cbegin(); it != humanCodeToCategory.cend(); ++it)
        if (it.value() < 0 || it.value() >= categoryCount)
            return Error::user(u"human code %1 maps to category %2, expected 0..%3"_s.arg(it.key())
                                   .arg(it.value())
                                   .arg(categoryCount - 1))
                .withKey(trait);
    return Status::success();
}

std::vector<double> CategoryMap::personaVector(const QList<double> &distribution) const
{
    const auto n = static_cast<size_t>(std::max(categoryCount, 0));
    std::vector<double> out(n, 0.0);
    const qsizetype choices = std::max<qsizetype>(distribution.size() - 2, 0);
    double total = 0.0;
    for (qsizetype i = 0; i < choices && i < choiceToCategory.size(); ++i) {
        const int c = choiceToCategory[i];
        const double p = distribution[i];
        if (c >= 0 && c < categoryCount && p > 0.0) {
            out[static_cast<size_t>(c)] += p;
            total += p;
        }
    }
    if (!(total > 0.0)) {
        out.assign(n, n ? 1.0 / double(n) : 0.0);
        return out;
    }
    for (double &v : out)
        v /= total;
    return out;
}

std::vector<double> CategoryMap::humanVector(int code) const
{
    const auto n = static_cast<size_t>(std::max(categoryCount, 0));
    const auto it = humanCodeToCategory.constFind(code);
    if (it == humanCodeToCategory.cend() || it.value() < 0 || it.value() >= categoryCount)
        return std::vector<double>(n, n ? 1.0 / double(n) : 0.0);
    std::vector<double> out(n, 0.0);
    out[static_cast<size_t>(it.value())] = 1.0;
    return out;
}

} // namespace anthology
