#include "charts/FigureSet.h"

#include "charts/FigureSetWriter.h"

using namespace Qt::StringLiterals;

namespace anthology::ui {

QString FigureSet::slug(const QString &text)
{
    QString out;
    for (QChar c : text)
        out += (c.isLetterOrNumber() || c == u'-' || c == u'_') ? c : u'_';
    return out.isEmpty() ? u"_"_s : out;
}

Result<QJsonObject> FigureSet::write(const FigureData &data, const FigureRequest &request, const QString &folder,
                                     const Options &options)
{
    // The caller keeps data alive for the call: a non-owning pointer.
    FigureSetWriter writer(std::shared_ptr<const FigureData>(std::shared_ptr<void>(), &data), request, folder, options);
    while (!writer.atEnd())
        if (Status st = writer.writeNext(); !st)
            return st.error();
    return writer.manifest();
}

} // namespace anthology::ui
