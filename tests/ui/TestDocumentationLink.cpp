#include "DocumentationLink.h"
#include "MainWindow.h"
#include "TestPaths.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QMenuBar>
#include <QTest>
#include <QUrl>

using namespace anthology::ui;
using namespace Qt::StringLiterals;

// Help ▸ Documentation opens the docs folder: from a build tree, the sources' docs/ (the
// package test covers the installed folder the same lookup finds beside the configs).
class TestDocumentationLink : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    // Stands in for the desktop: QDesktopServices hands file URLs here instead of a file manager.
    void openUrl(const QUrl &url) { m_opened.append(url); }

private:
    QList<QUrl> m_opened;

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"AnthologyTestDocumentationLink"_s);
        QDesktopServices::setUrlHandler(u"file"_s, this, "openUrl");
    }
    void cleanupTestCase() { QDesktopServices::unsetUrlHandler(u"file"_s); }

    void findsTheSourceDocs()
    {
        const QString folder = DocumentationLink::folder();
        QCOMPARE(folder, QDir::cleanPath(QStringLiteral(ANTHOLOGY_SOURCE_DIR) + u"/docs"_s));
        for (const QString &page : {u"README.md"_s, u"method.md"_s, u"project-file.md"_s, u"configs.md"_s,
                                    u"metrics.md"_s, u"tutorial.md"_s, u"charts.md"_s})
            QVERIFY2(QFileInfo::exists(folder + u'/' + page), qPrintable(page));
    }

    void helpMenuOpensTheFolder()
    {
        MainWindow window;
        QAction *documentation = nullptr;
        for (QAction *menu : window.menuBar()->actions())
            if (menu->menu())
                for (QAction *a : menu->menu()->actions())
                    if (a->text().remove(u'&') == u"Documentation"_s)
                        documentation = a;
        QVERIFY(documentation);
        QCOMPARE(documentation->shortcut(), QKeySequence(QKeySequence::HelpContents));
        m_opened.clear();
        documentation->trigger();
        QCOMPARE(m_opened.size(), 1);
        QCOMPARE(m_opened.first(), QUrl::fromLocalFile(DocumentationLink::folder()));
    }
};

QTEST_MAIN(TestDocumentationLink)
#include "TestDocumentationLink.moc"
