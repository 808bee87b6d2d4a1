#include "DocumentationLink.h"

#include "config/ConfigSchema.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace anthology::ui {

QString DocumentationLink::folder()
{
    const QString configs = ConfigSchema::defaultConfigDir();
    if (configs.isEmpty())
        return {};
    // Installed: <prefix>/share/anthology/configs -> <prefix>/share/doc/anthology-workbench.
    // Source tree: <source>/configs -> <source>/docs.
    for (const QString &relative : {u"../../doc/anthology-workbench"_s, u"../docs"_s}) {
        const QString candidate = QDir::cleanPath(QDir(configs).filePath(relative));
        if (QFileInfo::exists(QDir(candidate).filePath(u"README.md"_s)))
            return candidate;
    }
    return {};
}

bool DocumentationLink::open()
{
    const QString docs = folder();
    return !docs.isEmpty() && QDesktopServices::openUrl(QUrl::fromLocalFile(docs));
}

} // namespace anthology::ui
