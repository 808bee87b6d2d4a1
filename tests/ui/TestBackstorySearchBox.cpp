#include "BackstoryBrowser.h"
#include "BackstorySearchWorker.h"
#include "BackstoryTableModel.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "ProjectSession.h"
#include "SearchCorpus.h"
#include "TempProject.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The workbench's search box on a generated corpus: its syntax finds what the raw FTS5 query
// finds, unreadable text is a hint beside the box, a running search says so, no hit leaves
// nothing of the old row behind, saving or undoing keeps the selected row, and a saved edit
// re-reads the edited row alone.
class TestBackstorySearchBox : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    QString m_corpus;

    template <typename T> static T *child(QWidget *w, const char *name)
    {
        return w->findChild<T *>(QString::fromLatin1(name));
    }

    // A window on a copy of the corpus, for a test that writes to it.
    struct Browser
    {
        MainWindow window;
        QTableView *table = nullptr;
        QPlainTextEdit *text = nullptr;
        QLabel *count = nullptr;
    };
    std::unique_ptr<Browser> openCopy(const QString &name) const
    {
        const QString path = m_dir.path(name);
        auto b = std::make_unique<Browser>();
        if (!QFile::copy(m_corpus, path))
            return nullptr;
        b->window.show();
        if (!b->window.openProject(path))
            return nullptr;
        b->table = child<QTableView>(&b->window, "backstoryTable");
        b->text = child<QPlainTextEdit>(&b->window, "backstoryText");
        b->count = child<QLabel>(&b->window, "countLabel");
        return b;
    }

    static void search(MainWindow &window, const QString &text)
    {
        auto *box = child<QLineEdit>(&window, "searchField");
        box->setText(text);
        QTest::keyClick(box, Qt::Key_Return);
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

    void theBoxSyntaxFindsWhatItSays_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("hits");
        QTest::newRow("prefix") << u"far*"_s << SearchCorpus::farPrefix();
        QTest::newRow("phrase") << u"\"grew up\""_s << SearchCorpus::phraseGrewUp();
        QTest::newRow("words") << u"grew up"_s << SearchCorpus::grewAndUp();
        QTest::newRow("phrase and prefix") << u"\"grew up\" far*"_s << SearchCorpus::phraseAndPrefix();
    }

    void theBoxSyntaxFindsWhatItSays()
    {
        QFETCH(QString, query);
        QFETCH(int, hits);
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(m_corpus));
        auto *table = child<QTableView>(&window, "backstoryTable");
        auto *count = child<QLabel>(&window, "countLabel");
        search(window, query);
        QTRY_COMPARE(table->model()->rowCount(), hits);
        QTRY_VERIFY2(count->text().startsWith(QString::number(hits) + u" match"_s),
                     qPrintable(count->text()));
    }

    void anUnclosedQuoteIsAHintBesideTheBox()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(m_corpus));
        auto *table = child<QTableView>(&window, "backstoryTable");
        auto *hint = child<QLabel>(&window, "searchHint");
        search(window, u"\"grew up"_s);
        QVERIFY(hint->isVisible());
        QVERIFY2(hint->text().contains(u"not closed"_s), qPrintable(hint->text()));
        QVERIFY(!window.banner()->isVisible());
        QCOMPARE(table->model()->rowCount(), SearchCorpus::kSize);
        search(window, u"\"grew up\""_s);
        QVERIFY(!hint->isVisible());
        QTRY_COMPARE(table->model()->rowCount(), SearchCorpus::phraseGrewUp());
    }

    void aRunningSearchSaysSoAndNoHitClearsThePane()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(m_corpus));
        auto *table = child<QTableView>(&window, "backstoryTable");
        auto *count = child<QLabel>(&window, "countLabel");
        auto *text = child<QPlainTextEdit>(&window, "backstoryText");
        QTRY_VERIFY(text->toPlainText().startsWith(u"Story 0 "_s));
        search(window, u"volcano"_s);
        // The answer comes back through the event loop, so this is seen before it arrives.
        QCOMPARE(count->text(), u"Searching…"_s);
        QTRY_COMPARE(count->text(), u"0 matches"_s);
        QCOMPARE(table->model()->rowCount(), 0);
        QCOMPARE(text->toPlainText(), QString());
        QVERIFY(window.browser()->selectedUid().isEmpty());
        QVERIFY(child<QLabel>(&window, "backstoryTitle")->text().contains(u"No backstory selected"_s));
    }

    // The best hits come first with the count and the rows of the others follow, so a row
    // far down the list is selected again once its batch has arrived.
    void saveAndUndoKeepTheSelectedRowOfASearch_data()
    {
        QTest::addColumn<int>("row");
        QTest::newRow("among the first rows") << 5;
        QTest::newRow("beyond the first rows") << SearchCorpus::farPrefix() - 1;
    }

    void saveAndUndoKeepTheSelectedRowOfASearch()
    {
        QFETCH(int, row);
        QVERIFY(SearchCorpus::farPrefix() > BackstorySearchWorker::kFirstRows);
        const auto b = openCopy(u"edits%1.anthology"_s.arg(row));
        QVERIFY(b);
        MainWindow &window = b->window;
        QTableView *table = b->table;
        QPlainTextEdit *text = b->text;
        QLabel *count = b->count;
        search(window, u"far*"_s);
        QTRY_COMPARE(table->model()->rowCount(), SearchCorpus::farPrefix());
        QCOMPARE(count->text(), u"%1 matches"_s.arg(SearchCorpus::farPrefix()));
        table->selectRow(row);
        const QString uid = window.browser()->selectedUid();
        QVERIFY(!uid.isEmpty());
        QCOMPARE(table->currentIndex().row(), row);
        text->setPlainText(text->toPlainText() + u" The farm dog was old."_s);
        window.browser()->saveCurrentEdit();
        QCOMPARE(window.session()->readerStore().get(uid)->revision, 2);
        QCOMPARE(count->text(), u"Searching…"_s); // the edited text may no longer match
        QTRY_COMPARE(count->text(), u"%1 matches"_s.arg(SearchCorpus::farPrefix()));
        QCOMPARE(window.browser()->selectedUid(), uid);
        QVERIFY(text->toPlainText().endsWith(u"The farm dog was old."_s));

        window.browser()->undoCurrentEdit();
        QCOMPARE(window.session()->readerStore().get(uid)->revision, 3);
        QCOMPARE(count->text(), u"Searching…"_s);
        QTRY_COMPARE(count->text(), u"%1 matches"_s.arg(SearchCorpus::farPrefix()));
        QCOMPARE(window.browser()->selectedUid(), uid);
        QVERIFY(!text->toPlainText().endsWith(u"The farm dog was old."_s));
    }

    // A save shows the edited row's figures at once by re-reading that row: no reset and no
    // other row touched, however many rows (up to 5,000 hits) the table holds; a shown search
    // then runs again for the snippets.
    void aSavedEditRereadsItsRowAlone_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("search results") << u"far*"_s;
        QTest::newRow("whole table") << QString();
    }

    void aSavedEditRereadsItsRowAlone()
    {
        QFETCH(QString, query);
        const auto b = openCopy(u"onerow%1.anthology"_s.arg(query.isEmpty() ? 0 : 1));
        QVERIFY(b);
        MainWindow &window = b->window;
        QTableView *table = b->table;
        QPlainTextEdit *text = b->text;
        QLabel *count = b->count;
        const int rows = query.isEmpty() ? SearchCorpus::kSize : SearchCorpus::farPrefix();
        if (!query.isEmpty()) {
            search(window, query);
            QTRY_COMPARE(count->text(), u"%1 matches"_s.arg(rows));
        }
        const int row = 3;
        table->selectRow(row);
        const QString uid = window.browser()->selectedUid();
        QAbstractItemModel *model = table->model();
        QSignalSpy resets(model, &QAbstractItemModel::modelAboutToBeReset);
        QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
        const QString edited = text->toPlainText() + u" The farm dog was old."_s;
        text->setPlainText(edited);
        window.browser()->saveCurrentEdit();

        QCOMPARE(resets.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed[0][0].value<QModelIndex>().row(), row);
        QCOMPARE(changed[0][1].value<QModelIndex>().row(), row);
        QCOMPARE(model->rowCount(), rows);
        QCOMPARE(model->index(row, BackstoryTableModel::CharactersColumn)
                     .data(BackstoryTableModel::SortRole)
                     .toInt(),
                 edited.size());
        QCOMPARE(model->index(row, BackstoryTableModel::RevisionColumn).data().toInt(), 2);
        QCOMPARE(window.browser()->selectedUid(), uid);
        if (!query.isEmpty()) {
            QCOMPARE(count->text(), u"Searching…"_s);
            QTRY_COMPARE(count->text(), u"%1 matches"_s.arg(rows));
            QCOMPARE(window.browser()->selectedUid(), uid);
        }
        QCOMPARE(text->toPlainText(), edited);
    }
};

QTEST_MAIN(TestBackstorySearchBox)
#include "TestBackstorySearchBox.moc"
