#include "BackstoryBrowser.h"
#include "BackstoryDetailPane.h"
#include "MainWindow.h"
#include "SearchCorpus.h"
#include "TempProject.h"

#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

// Counts the layout requests a widget receives: each one re-lays it out with all it holds.
class LayoutRequests final : public QObject
{
public:
    int count = 0;
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::LayoutRequest)
            ++count;
        return false;
    }
};

} // namespace

// Paging through the backstory table: a held key moves the table at every repeat and the text
// pane shows the row the key stopped on; a single press shows its row at once; a new row's
// title in the pane does not re-lay out the window.
class TestBackstoryPaging : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    QString m_corpus;

    template <typename T> static T *child(QWidget *w, const char *name)
    {
        return w->findChild<T *>(QString::fromLatin1(name));
    }

    static void sendKey(QWidget *to, QEvent::Type type, Qt::Key key, bool autoRepeat)
    {
        QKeyEvent event(type, key, Qt::NoModifier, QString(), autoRepeat);
        QCoreApplication::sendEvent(to, &event);
    }

    // A held key: the first press, then repeats as X11 sends them (a release and a press, both
    // marked as repeats); the key stays down.
    static void holdKey(QWidget *to, Qt::Key key, int repeats)
    {
        sendKey(to, QEvent::KeyPress, key, false);
        for (int i = 0; i < repeats; ++i) {
            sendKey(to, QEvent::KeyRelease, key, true);
            sendKey(to, QEvent::KeyPress, key, true);
        }
    }

    struct Window
    {
        MainWindow window;
        QTableView *table = nullptr;
        BackstoryDetailPane *pane = nullptr;
        QLabel *title = nullptr;
        QPlainTextEdit *text = nullptr;
    };
    std::unique_ptr<Window> open() const
    {
        auto w = std::make_unique<Window>();
        w->window.resize(1200, 800);
        w->window.show();
        if (!QTest::qWaitForWindowExposed(&w->window) || !w->window.openProject(m_corpus))
            return nullptr;
        w->table = child<QTableView>(&w->window, "backstoryTable");
        w->pane = w->window.browser()->detail();
        w->title = child<QLabel>(&w->window, "backstoryTitle");
        w->text = child<QPlainTextEdit>(&w->window, "backstoryText");
        w->table->setFocus();
        return w;
    }

    static void verifyPaneShowsSelectedRow(Window &w)
    {
        const QString uid = w.window.browser()->selectedUid();
        QVERIFY(!uid.isEmpty());
        QCOMPARE(w.pane->currentUid(), uid);
        QVERIFY2(w.title->text().contains(uid), qPrintable(w.title->text()));
        QVERIFY(!w.text->toPlainText().isEmpty());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"AnthologyWorkbenchTests"_s);
        QSettings().clear();
        m_corpus = SearchCorpus::createProject(m_dir);
        QVERIFY(!m_corpus.isEmpty());
    }

    void aPressShowsItsRowAtOnce()
    {
        auto w = open();
        QVERIFY(w);
        QTRY_VERIFY(!w->window.browser()->selectedUid().isEmpty());
        const QString first = w->window.browser()->selectedUid();
        QTest::keyClick(w->table, Qt::Key_PageDown);
        QVERIFY(w->window.browser()->selectedUid() != first);
        verifyPaneShowsSelectedRow(*w);
    }

    void aHeldKeyShowsTheRowItStoppedOnWhenReleased()
    {
        auto w = open();
        QVERIFY(w);
        QTRY_VERIFY(!w->window.browser()->selectedUid().isEmpty());
        holdKey(w->table, Qt::Key_PageDown, 0);
        const QString pressed = w->window.browser()->selectedUid();
        verifyPaneShowsSelectedRow(*w); // the first press is shown at once
        for (int i = 0; i < 4; ++i) {
            sendKey(w->table, QEvent::KeyRelease, Qt::Key_PageDown, true);
            sendKey(w->table, QEvent::KeyPress, Qt::Key_PageDown, true);
        }
        // No event loop ran since the repeats: the table has moved on, the pane has not yet.
        const QString stopped = w->window.browser()->selectedUid();
        QVERIFY(stopped != pressed);
        QVERIFY(w->pane->currentUid() != stopped);
        sendKey(w->table, QEvent::KeyRelease, Qt::Key_PageDown, false);
        QTRY_COMPARE(w->pane->currentUid(), stopped);
        verifyPaneShowsSelectedRow(*w);
    }

    // The release may never reach the table (the focus moved while the key was down): the
    // pane follows once the repeats stop all the same.
    void aHeldKeyWhoseReleaseIsLostStillShowsItsRow()
    {
        auto w = open();
        QVERIFY(w);
        QTRY_VERIFY(!w->window.browser()->selectedUid().isEmpty());
        holdKey(w->table, Qt::Key_Down, 30);
        const QString stopped = w->window.browser()->selectedUid();
        QTRY_COMPARE(w->pane->currentUid(), stopped);
        verifyPaneShowsSelectedRow(*w);
        // A later press is shown at once again.
        QTest::keyClick(w->table, Qt::Key_Down);
        verifyPaneShowsSelectedRow(*w);
    }

    void aNewRowsTitleDoesNotRelayOutTheWindow()
    {
        auto w = open();
        QVERIFY(w);
        QTRY_VERIFY(!w->window.browser()->selectedUid().isEmpty());
        // A first row change, then the event loop: what opening and a first title lay out is done.
        QTest::keyClick(w->table, Qt::Key_PageDown);
        QCoreApplication::processEvents();
        LayoutRequests requests;
        w->pane->installEventFilter(&requests);
        const int heightBefore = w->title->height();
        QVERIFY(heightBefore > 0);
        for (int i = 0; i < 5; ++i) {
            const QString before = w->title->text();
            QTest::keyClick(w->table, Qt::Key_PageDown);
            QVERIFY(w->title->text() != before);
            QCoreApplication::processEvents();
        }
        verifyPaneShowsSelectedRow(*w);
        QCOMPARE(requests.count, 0);
        QCOMPARE(w->title->height(), heightBefore);
        QVERIFY(w->title->width() > 0);
    }
};

QTEST_MAIN(TestBackstoryPaging)
#include "TestBackstoryPaging.moc"
