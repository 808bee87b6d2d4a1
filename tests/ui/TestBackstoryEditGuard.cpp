#include "BackstoryBrowser.h"
#include "BackstoryTableModel.h"
#include "MainWindow.h"
#include "ProjectSession.h"
#include "TempProject.h"
#include "backstories/BackstoryStore.h"
#include "example/ExampleProject.h"
#include "project/ProjectFile.h"
#include "ui/DialogAnswerer.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// An edited backstory is never dropped without a word: changing rows, searching, opening
// another project and closing the window each ask Save / Discard / Cancel, and Cancel keeps
// the row and the text. Also the Edit menu, the modified mark and the revision header.
class TestBackstoryEditGuard : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_projects = 0;

    template <typename T> static T *child(QWidget *w, const char *name)
    {
        return w->findChild<T *>(QString::fromLatin1(name));
    }

    QString exampleProject()
    {
        const QString path = m_dir.path(u"guard%1.anthology"_s.arg(++m_projects));
        auto project = ProjectFile::create(path);
        if (!project || !ExampleProject::populate(**project))
            return {};
        return path;
    }

    struct Window
    {
        MainWindow window;
        QTableView *table = nullptr;
        QPlainTextEdit *text = nullptr;
    };

    // A window on a fresh example project, ex-02-walt (row 1) selected and edited, not saved.
    std::unique_ptr<Window> editedWindow()
    {
        auto w = std::make_unique<Window>();
        w->window.show();
        w->window.activateWindow();
        if (!QTest::qWaitForWindowActive(&w->window) || !w->window.openProject(exampleProject()))
            return nullptr;
        w->table = child<QTableView>(&w->window, "backstoryTable");
        w->text = child<QPlainTextEdit>(&w->window, "backstoryText");
        w->table->selectRow(1);
        if (!w->text->toPlainText().contains(u"Eau Claire"_s))
            return nullptr;
        w->text->setPlainText(u"Walt, rewritten."_s);
        return w;
    }

    static QString storedText(MainWindow &window, const QString &uid)
    {
        return window.session()->readerStore().get(uid)->text;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"AnthologyWorkbenchTests"_s);
        QSettings().clear();
    }

    void rowChangeCancelKeepsRowAndText()
    {
        auto w = editedWindow();
        QVERIFY(w);
        DialogAnswerer answer;
        answer.answerWith(QMessageBox::Cancel);
        w->table->selectRow(4);
        QCOMPARE(answer.answered, 1);
        QVERIFY2(answer.text.contains(u"ex-02-walt"_s), qPrintable(answer.text));
        QCOMPARE(w->table->currentIndex().row(), 1);
        QCOMPARE(w->window.browser()->selectedUid(), u"ex-02-walt"_s);
        QCOMPARE(w->text->toPlainText(), u"Walt, rewritten."_s);
        QVERIFY(w->window.browser()->hasUnsavedChanges());
        QVERIFY(storedText(w->window, u"ex-02-walt"_s).contains(u"Eau Claire"_s));
    }

    void aClickOnAnotherRowCancelledLeavesTheEditedRowSelected()
    {
        // The view selects the pressed row after the question: it must end on the edited row.
        auto w = editedWindow();
        QVERIFY(w);
        DialogAnswerer answer;
        answer.answerWith(QMessageBox::Cancel);
        const QRect cell = w->table->visualRect(w->table->model()->index(5, 0));
        QTest::mouseClick(w->table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(answer.answered, 1);
        QTRY_COMPARE(w->window.browser()->selectedUids(), QStringList{u"ex-02-walt"_s});
        QCOMPARE(w->window.browser()->selectedUid(), u"ex-02-walt"_s);
        QCOMPARE(w->text->toPlainText(), u"Walt, rewritten."_s);

        answer.answerWith(QMessageBox::Save);
        QTest::mouseClick(w->table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(answer.answered, 2);
        const QString target = w->table->model()->index(5, 0).data().toString();
        QTRY_COMPARE(w->window.browser()->selectedUids(), QStringList{target});
        QCOMPARE(storedText(w->window, u"ex-02-walt"_s), u"Walt, rewritten."_s);
        QVERIFY(!w->text->toPlainText().contains(u"rewritten"_s));
    }

    void rowChangeDiscardDropsTheEdit()
    {
        auto w = editedWindow();
        QVERIFY(w);
        DialogAnswerer answer;
        answer.answerWith(QMessageBox::Discard);
        w->table->selectRow(4);
        QCOMPARE(answer.answered, 1);
        QCOMPARE(w->table->currentIndex().row(), 4);
        QCOMPARE(w->window.browser()->selectedUid(), w->table->model()->index(4, 0).data().toString());
        QVERIFY(!w->text->toPlainText().contains(u"rewritten"_s));
        QVERIFY(!w->window.browser()->hasUnsavedChanges());
        QVERIFY(storedText(w->window, u"ex-02-walt"_s).contains(u"Eau Claire"_s));
    }

    void rowChangeSaveStoresARevisionAndMoves()
    {
        auto w = editedWindow();
        QVERIFY(w);
        DialogAnswerer answer;
        answer.answerWith(QMessageBox::Save);
        w->table->selectRow(4);
        QCOMPARE(answer.answered, 1);
        QCOMPARE(storedText(w->window, u"ex-02-walt"_s), u"Walt, rewritten."_s);
        QCOMPARE(w->table->currentIndex().row(), 4);
        QCOMPARE(w->window.browser()->selectedUid(), w->table->model()->index(4, 0).data().toString());
        // The table shows the saved figures of the edited row.
        QCOMPARE(w->table->model()->index(1, BackstoryTableModel::RevisionColumn).data().toInt(), 2);
        QVERIFY(!w->window.browser()->hasUnsavedChanges());
    }

    void aSearchAsksAndCancelKeepsEverything()
    {
        auto w = editedWindow();
        QVERIFY(w);
        auto *search = child<QLineEdit>(&w->window, "searchField");
        DialogAnswerer answer;
        answer.answerWith(QMessageBox::Cancel);
        search->setText(u"bakery"_s);
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(answer.answered, 1);
        QCOMPARE(w->table->model()->rowCount(), 12);
        QCOMPARE(search->text(), QString());
        QCOMPARE(w->window.browser()->selectedUid(), u"ex-02-walt"_s);
        QCOMPARE(w->text->toPlainText(), u"Walt, rewritten."_s);

        // Discard lets the search run.
        answer.answerWith(QMessageBox::Discard);
        search->setText(u"bakery"_s);
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(answer.answered, 2);
        QTRY_COMPARE(w->table->model()->rowCount(), 1);
    }

    void openingAnotherProjectAsks()
    {
        auto w = editedWindow();
        QVERIFY(w);
        const QString first = w->window.session()->path();
        const QString other = exampleProject();
        DialogAnswerer answer;
        answer.answerWith(QMessageBox::Cancel);
        QVERIFY(!w->window.openProject(other));
        QCOMPARE(answer.answered, 1);
        QCOMPARE(w->window.session()->path(), first);
        QCOMPARE(w->text->toPlainText(), u"Walt, rewritten."_s);

        answer.answerWith(QMessageBox::Save);
        QVERIFY(w->window.openProject(other));
        QCOMPARE(answer.answered, 2);
        QCOMPARE(w->window.session()->path(), QFileInfo(other).absoluteFilePath());
        auto saved = ProjectFile::open(first, ProjectFile::Mode::ReadOnly);
        QVERIFY(saved);
        QCOMPARE(BackstoryStore(**saved).get(u"ex-02-walt"_s)->text, u"Walt, rewritten."_s);
    }

    void closingTheWindowAsks()
    {
        auto w = editedWindow();
        QVERIFY(w);
        DialogAnswerer answer;
        answer.answerWith(QMessageBox::Cancel);
        QVERIFY(!w->window.close());
        QCOMPARE(answer.answered, 1);
        QVERIFY(w->window.isVisible());
        QCOMPARE(w->text->toPlainText(), u"Walt, rewritten."_s);

        answer.answerWith(QMessageBox::Save);
        const QString path = w->window.session()->path();
        QVERIFY(w->window.close());
        auto saved = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        QVERIFY(saved);
        QCOMPARE(BackstoryStore(**saved).get(u"ex-02-walt"_s)->text, u"Walt, rewritten."_s);
    }

    void nothingIsAskedWithoutAnEdit()
    {
        auto w = editedWindow();
        QVERIFY(w);
        w->window.browser()->revertCurrentEdit();
        DialogAnswerer answer;
        answer.answerWith(QMessageBox::Cancel);
        w->table->selectRow(3);
        QCOMPARE(w->table->currentIndex().row(), 3);
        answer.stop();
        QCOMPARE(answer.answered, 0);
    }

    void editMenuSavesUndoesAndReverts()
    {
        auto w = editedWindow();
        QVERIFY(w);
        auto *save = child<QAction>(&w->window, "saveEditAction");
        auto *undo = child<QAction>(&w->window, "undoEditAction");
        auto *revert = child<QAction>(&w->window, "revertAction");
        QVERIFY(save && undo && revert);
        QCOMPARE(save->shortcut(), QKeySequence(QKeySequence::Save));
        QVERIFY(!undo->shortcut().isEmpty());
        QVERIFY(!revert->shortcut().isEmpty());
        // The modified mark: the window title and the pane's header.
        QVERIFY(w->window.isWindowModified());
        QVERIFY(child<QLabel>(&w->window, "backstoryTitle")->text().contains(u"modified"_s));
        QVERIFY(save->isEnabled() && revert->isEnabled() && !undo->isEnabled());

        revert->trigger();
        QVERIFY(w->text->toPlainText().contains(u"Eau Claire"_s));
        QVERIFY(!w->window.isWindowModified());
        QVERIFY(!save->isEnabled());

        w->text->setPlainText(u"Walt, once more."_s);
        QTest::keySequence(&w->window, QKeySequence::Save);
        QCOMPARE(storedText(w->window, u"ex-02-walt"_s), u"Walt, once more."_s);
        QVERIFY(!w->window.isWindowModified());
        QVERIFY(!child<QLabel>(&w->window, "backstoryTitle")->text().contains(u"modified"_s));
        QTRY_VERIFY(undo->isEnabled());
        QTest::keySequence(&w->window, undo->shortcut());
        QVERIFY(storedText(w->window, u"ex-02-walt"_s).contains(u"Eau Claire"_s));
        QTRY_VERIFY(w->text->toPlainText().contains(u"Eau Claire"_s));
    }

    void anOlderRevisionSaysWhichAndThatItIsReadOnly()
    {
        auto w = editedWindow();
        QVERIFY(w);
        w->window.browser()->saveCurrentEdit();
        auto *revisions = child<QComboBox>(&w->window, "revisionCombo");
        auto *title = child<QLabel>(&w->window, "backstoryTitle");
        QTRY_COMPARE(revisions->count(), 2);
        QVERIFY(title->text().contains(u"revision 2"_s));
        revisions->setCurrentIndex(revisions->findData(1));
        Q_EMIT revisions->activated(revisions->currentIndex());
        QTRY_VERIFY(w->text->toPlainText().contains(u"Eau Claire"_s));
        QVERIFY(w->text->isReadOnly());
        QVERIFY2(title->text().contains(u"revision 1"_s), qPrintable(title->text()));
        QVERIFY2(title->text().contains(u"read-only"_s), qPrintable(title->text()));
        QVERIFY(!title->text().contains(u"revision 2 "_s));
        revisions->setCurrentIndex(revisions->findData(2));
        Q_EMIT revisions->activated(revisions->currentIndex());
        QCOMPARE(w->text->toPlainText(), u"Walt, rewritten."_s);
        QVERIFY(!w->text->isReadOnly());
        QVERIFY(!title->text().contains(u"read-only"_s));
    }

    // The model counted the original text; after a save the count shown is the edit's, marked
    // as an estimate in the table and the attribute pane.
    void savingUpdatesTheTokenCountAsAnEstimate()
    {
        auto w = editedWindow();
        QVERIFY(w);
        const QModelIndex tokens = w->table->model()->index(1, BackstoryTableModel::TokensColumn);
        QCOMPARE(tokens.data().toString(), u"157"_s);
        w->window.browser()->saveCurrentEdit();
        const Backstory saved = *w->window.session()->readerStore().get(u"ex-02-walt"_s);
        QVERIFY(saved.tokenCountEstimated);
        QVERIFY(*saved.tokenCount < 157);
        const QString shown = QLocale().toString(*saved.tokenCount);
        QTRY_COMPARE(w->table->model()->index(1, BackstoryTableModel::TokensColumn).data().toString(),
                     u"≈"_s + shown);
        QVERIFY(w->table->model()
                    ->index(1, BackstoryTableModel::TokensColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"Estimated"_s));
        auto *attributes = child<QTableWidget>(&w->window, "attributeTable");
        QTRY_VERIFY(!attributes->findItems(u"≈ "_s + shown, Qt::MatchStartsWith).isEmpty());
        QVERIFY(attributes->findItems(u"≈ "_s + shown, Qt::MatchStartsWith)
                    .first()
                    ->text()
                    .contains(u"estimated"_s));
    }

    void theUsualAttributesShowWithoutScrolling()
    {
        auto w = editedWindow();
        QVERIFY(w);
        w->window.browser()->revertCurrentEdit();
        auto *attributes = child<QTableWidget>(&w->window, "attributeTable");
        QVERIFY(attributes->rowCount() >= 5);
        QTRY_VERIFY(attributes->isVisible());
        QCOMPARE(attributes->verticalScrollBar()->maximum(), 0);
    }

    void homeAndEndGoToTheFirstAndLastRow()
    {
        auto w = editedWindow();
        QVERIFY(w);
        w->window.browser()->revertCurrentEdit();
        w->table->setFocus();
        QTest::keyClick(w->table, Qt::Key_End);
        QCOMPARE(w->table->currentIndex().row(), 11);
        QCOMPARE(w->window.browser()->selectedUid(), w->table->model()->index(11, 0).data().toString());
        QTest::keyClick(w->table, Qt::Key_Home);
        QCOMPARE(w->table->currentIndex().row(), 0);
    }
};

QTEST_MAIN(TestBackstoryEditGuard)
#include "TestBackstoryEditGuard.moc"
