#include "BackstoryBrowser.h"

#include "BackstoryCellDelegate.h"
#include "BackstoryDetailPane.h"
#include "BackstorySearchWorker.h"
#include "BackstoryTableModel.h"
#include "BackstoryTablePrefetcher.h"
#include "ProjectSession.h"
#include "backstories/BackstorySearchQuery.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

BackstoryBrowser::BackstoryBrowser(QWidget *parent)
    : QWidget(parent), m_model(new BackstoryTableModel(this)), m_search(new QLineEdit(this)),
      m_count(new QLabel(this)), m_hint(new QLabel(this)), m_table(new QTableView(this)),
      m_detail(new BackstoryDetailPane(this)), m_searchDelay(new QTimer(this)),
      m_paneDelay(new QTimer(this)),
      m_searchThread(std::make_unique<QThread>()), m_searchWorker(new BackstorySearchWorker)
{
    m_search->setObjectName(u"searchField"_s);
    m_search->setPlaceholderText(tr("Search backstories (Ctrl+F): words, \"a phrase\", or prefix*"));
    m_search->setClearButtonEnabled(true);
    m_count->setObjectName(u"countLabel"_s);
    m_hint->setObjectName(u"searchHint"_s);
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(u"color: #b35900;"_s);
    m_hint->hide();
    m_table->setObjectName(u"backstoryTable"_s);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(BackstoryTableModel::PreviewColumn,
                                                      QHeaderView::Stretch);
    auto *cells = new BackstoryCellDelegate(m_table);
    m_table->setItemDelegate(cells);
    new BackstoryTablePrefetcher(m_table, cells);
    m_table->horizontalHeader()->setSectionResizeMode(BackstoryTableModel::UidColumn,
                                                      QHeaderView::Interactive);
    m_table->setColumnWidth(BackstoryTableModel::UidColumn, 140);
    // The figures get a width for their header or six digits, not ResizeToContents: that
    // measures a thousand rows' cells at every reset (opening, each search), ~50 ms at 100,000
    // rows, and columns that jump as rows are paged in.
    for (const auto &[c, sample] : {std::pair{int(BackstoryTableModel::CharactersColumn), u"999,999"_s},
                                    std::pair{int(BackstoryTableModel::TokensColumn), u"999,999"_s},
                                    std::pair{int(BackstoryTableModel::RevisionColumn), u"999"_s}}) {
        const QString header = m_model->headerData(c, Qt::Horizontal).toString();
        const int width = std::max(m_table->fontMetrics().horizontalAdvance(sample),
                                   m_table->horizontalHeader()->fontMetrics().horizontalAdvance(header));
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::Interactive);
        m_table->setColumnWidth(c, width + 20);
    }
    m_detail->setObjectName(u"detailPane"_s);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_count);
    leftLayout->addLayout(searchRow);
    leftLayout->addWidget(m_hint);
    leftLayout->addWidget(m_table, 1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(u"browserSplitter"_s);
    split->addWidget(left);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, this, &BackstoryBrowser::scheduleSearch);
    connect(m_search, &QLineEdit::returnPressed, this, &BackstoryBrowser::runSearch);
    connect(m_searchDelay, &QTimer::timeout, this, &BackstoryBrowser::runSearch);
    // While a key is held (PageDown, an arrow), the table moves at every repeat but the pane
    // reads and lays out the text only once the key is released: loading it at each repeat
    // made paging through 100,000 rows stall the GUI thread. The timer is for a release that
    // never reaches the table (the focus moved); the repeat interval is shorter than this.
    m_paneDelay->setSingleShot(true);
    m_paneDelay->setInterval(150);
    connect(m_paneDelay, &QTimer::timeout, this, &BackstoryBrowser::showCurrent);
    m_table->installEventFilter(this);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &BackstoryBrowser::onCurrentRowChanged);
    connect(m_detail, &BackstoryDetailPane::modifiedChanged, this, &BackstoryBrowser::modifiedChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &BackstoryBrowser::updateStatus);
    connect(m_detail, &BackstoryDetailPane::saveRequested, this, &BackstoryBrowser::saveEdit);
    connect(m_detail, &BackstoryDetailPane::undoRequested, this, &BackstoryBrowser::undoEdit);
    connect(m_detail, &BackstoryDetailPane::revisionRequested, this,
            [this](const QString &uid, int revision) {
                if (!m_session)
                    return;
                auto text = m_session->readerStore().textAtRevision(uid, revision);
                if (text && *text)
                    m_detail->showRevisionText(revision, **text);
            });

    // Home and End go to the first and last backstory, not the first and last column.
    for (const auto &[key, last] : {std::pair{Qt::Key_Home, false}, std::pair{Qt::Key_End, true}}) {
        auto *shortcut = new QShortcut(QKeySequence(key), m_table, nullptr, nullptr, Qt::WidgetShortcut);
        connect(shortcut, &QShortcut::activated, this, [this, last]() {
            const int rows = m_model->rowCount();
            if (rows == 0)
                return;
            const QModelIndex target =
                m_model->index(last ? rows - 1 : 0, std::max(0, m_table->currentIndex().column()));
            m_table->selectionModel()->setCurrentIndex(target, QItemSelectionModel::ClearAndSelect |
                                                                   QItemSelectionModel::Rows);
            m_table->scrollTo(target);
        });
    }

    m_searchWorker->moveToThread(m_searchThread.get());
    connect(m_searchThread.get(), &QThread::finished, m_searchWorker, &QObject::deleteLater);
    connect(m_searchWorker, &BackstorySearchWorker::searched, this, &BackstoryBrowser::onSearched);
    connect(m_searchWorker, &BackstorySearchWorker::moreFound, this, &BackstoryBrowser::onMoreFound);
    m_searchThread->start();
    updateStatus();
}

BackstoryBrowser::~BackstoryBrowser()
{
    m_searchThread->quit();
    m_searchThread->wait();
}

void BackstoryBrowser::setSession(ProjectSession *session)
{
    m_session = session;
    m_search->blockSignals(true);
    m_search->clear();
    m_search->blockSignals(false);
    m_hint->hide();
    m_lastQuery.clear();
    m_keepUid.clear();
    ++m_generation;
    m_model->setStore(session ? &session->readerStore() : nullptr);
    const QString path = session ? session->path() : QString();
    QMetaObject::invokeMethod(m_searchWorker,
                              [worker = m_searchWorker, path]() { worker->openProject(path); });
    m_detail->showBackstory(std::nullopt, {});
    if (session && m_model->rowCount() > 0)
        m_table->selectRow(0);
}

void BackstoryBrowser::reload()
{
    showChanges(QString());
}

void BackstoryBrowser::showChanges(const QString &editedUid)
{
    const QString uid = selectedUid();
    const int previousRow = m_table->currentIndex().row();
    if (editedUid.isEmpty())
        m_model->refresh();
    else
        m_model->storyChanged(editedUid);
    if (selectedUid() != uid) // the rows were read again
        selectUid(uid, previousRow);
    showCurrent();
    // The edited text may no longer match: the search runs again and keeps this row if it does.
    if (m_model->isShowingSearchResults() && !m_lastQuery.isEmpty()) {
        m_keepUid = uid;
        startSearch(m_lastQuery);
    }
}

void BackstoryBrowser::selectUid(const QString &uid, int hintRow)
{
    if (uid.isEmpty())
        return;
    // An edit keeps a row where it was (unless sorted by length): look there first.
    const int row = m_model->uidAt(hintRow) == uid ? hintRow : m_model->rowOfUid(uid);
    if (row < 0)
        return;
    m_restoringRow = true;
    m_table->selectRow(row);
    m_restoringRow = false;
}

void BackstoryBrowser::setEditingEnabled(bool enabled)
{
    m_detail->setEditingEnabled(enabled);
}

void BackstoryBrowser::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

QString BackstoryBrowser::selectedUid() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_model->uidAt(current.row()) : QString();
}

QStringList BackstoryBrowser::selectedUids() const
{
    QStringList uids;
    const auto rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        uids.append(m_model->uidAt(index.row()));
    return uids;
}

bool BackstoryBrowser::hasUnsavedChanges() const
{
    return m_detail->hasUnsavedChanges();
}

void BackstoryBrowser::saveCurrentEdit()
{
    m_detail->requestSave();
}

void BackstoryBrowser::undoCurrentEdit()
{
    m_detail->requestUndo();
}

void BackstoryBrowser::revertCurrentEdit()
{
    m_detail->discardEdit();
}

BackstoryDetailPane *BackstoryBrowser::detail() const
{
    return m_detail;
}

bool BackstoryBrowser::resolveUnsavedEdit()
{
    if (!m_detail->hasUnsavedChanges())
        return true;
    const QString uid = m_detail->currentUid();
    QMessageBox box(QMessageBox::Question, tr("Unsaved edit"),
                    tr("The text of %1 has an unsaved edit.").arg(uid),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(u"unsavedEditBox"_s);
    box.setInformativeText(tr("Save it as a new revision, discard it, or cancel and keep editing."));
    box.setDefaultButton(QMessageBox::Save);
    box.setEscapeButton(QMessageBox::Cancel);
    switch (box.exec()) {
    case QMessageBox::Save:
        return writeEdit(uid, m_detail->editedText());
    case QMessageBox::Discard:
        m_detail->discardEdit();
        return true;
    default:
        return false;
    }
}

void BackstoryBrowser::onCurrentRowChanged(const QModelIndex &current, const QModelIndex &previous)
{
    if (m_restoringRow)
        return;
    const QString uid = current.isValid() ? m_model->uidAt(current.row()) : QString();
    if (uid != m_detail->currentUid() && m_detail->hasUnsavedChanges()) {
        const int targetRow = current.row();
        const QString editedUid = m_detail->currentUid();
        const int editedRow = previous.isValid() && m_model->uidAt(previous.row()) == editedUid
                                  ? previous.row()
                                  : m_model->rowOfUid(editedUid);
        const int revisionBefore = m_detail->currentRevision();
        if (!resolveUnsavedEdit()) {
            // Cancel: back to the edited row, its text untouched. A mouse press that changed the
            // row selects the pressed row once this returns, so the row is restored again after it.
            const auto restore = [this, editedUid, editedRow]() {
                if (m_detail->currentUid() != editedUid || editedRow < 0 ||
                    m_model->uidAt(editedRow) != editedUid ||
                    (selectedUid() == editedUid && selectedUids() == QStringList{editedUid}))
                    return;
                m_restoringRow = true;
                m_table->selectionModel()->setCurrentIndex(m_model->index(editedRow, 0),
                                                           QItemSelectionModel::ClearAndSelect |
                                                               QItemSelectionModel::Rows);
                m_restoringRow = false;
            };
            restore();
            QMetaObject::invokeMethod(this, restore, Qt::QueuedConnection);
            return;
        }
        if (m_detail->currentRevision() != revisionBefore) {
            // After a save the table's figures for the edited row are re-read; the chosen row stays.
            m_model->storyChanged(editedUid);
            if (selectedUid() != uid)
                selectUid(uid, targetRow);
        }
    }
    if (m_keyRepeating && !m_detail->hasUnsavedChanges()) {
        m_paneDelay->start();
        return;
    }
    showCurrent();
}

bool BackstoryBrowser::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table) {
        const auto *key = event->type() == QEvent::KeyPress || event->type() == QEvent::KeyRelease
                              ? static_cast<QKeyEvent *>(event)
                              : nullptr;
        if (event->type() == QEvent::KeyPress) {
            m_keyRepeating = key->isAutoRepeat();
        } else if ((key && !key->isAutoRepeat()) || event->type() == QEvent::FocusOut) {
            m_keyRepeating = false;
            if (m_paneDelay->isActive())
                showCurrent();
        }
    }
    return QWidget::eventFilter(watched, event);
}

void BackstoryBrowser::scheduleSearch()
{
    m_searchDelay->start();
}

void BackstoryBrowser::runSearch()
{
    m_searchDelay->stop();
    const QString query = m_search->text().trimmed();
    if (query == m_lastQuery)
        return;
    // Text the box cannot read is a hint beside it; the table keeps what it shows.
    if (const Result<QString> parsed = BackstorySearchQuery::toFts5(query); !parsed) {
        m_hint->setText(tr("Not searched yet: %1.").arg(parsed.error().message));
        m_hint->show();
        return;
    }
    m_hint->hide();
    if (!resolveUnsavedEdit()) {
        // Cancel: the box shows the query the table shows, the edit stays.
        m_search->blockSignals(true);
        m_search->setText(m_lastQuery);
        m_search->blockSignals(false);
        return;
    }
    m_keepUid.clear();
    startSearch(query);
}

void BackstoryBrowser::startSearch(const QString &query)
{
    m_lastQuery = query;
    const quint64 generation = ++m_generation;
    if (query.isEmpty()) {
        const QString uid = m_detail->currentUid();
        m_model->showAll();
        selectUid(uid, -1);
        showCurrent();
        return;
    }
    m_count->setText(tr("Searching…"));
    m_searchWorker->supersede(generation);
    QMetaObject::invokeMethod(m_searchWorker, [worker = m_searchWorker, generation, query]() {
        worker->search(generation, query);
    });
}

void BackstoryBrowser::onSearched(quint64 generation, const QList<BackstorySummary> &hits, int total,
                                  const QString &errorText, bool complete)
{
    if (generation != m_generation)
        return; // the user typed on; a newer query is under way
    if (!errorText.isEmpty()) {
        updateStatus();
        Q_EMIT message(tr("Search failed: %1").arg(errorText), true);
        return;
    }
    m_searchTotal = total;
    m_model->showSearchResults(hits);
    selectAfterSearch(true, complete);
}

void BackstoryBrowser::onMoreFound(quint64 generation, const QList<BackstorySummary> &hits, bool complete)
{
    if (generation != m_generation || !m_model->isShowingSearchResults())
        return;
    m_model->appendSearchResults(hits);
    updateStatus();
    selectAfterSearch(false, complete);
}

void BackstoryBrowser::selectAfterSearch(bool firstRows, bool complete)
{
    if (!m_keepUid.isEmpty()) {
        if (const int keptRow = m_model->rowOfUid(m_keepUid); keptRow >= 0) {
            m_keepUid.clear();
            m_restoringRow = true;
            m_table->selectRow(keptRow);
            m_restoringRow = false;
            showCurrent();
            return;
        }
        if (!complete)
            return; // the kept row may be in rows still to come
        m_keepUid.clear();
    } else if (!firstRows) {
        return; // more rows of a search whose first row is already selected
    }
    if (m_model->rowCount() > 0)
        m_table->selectRow(0);
    else if (!m_detail->hasUnsavedChanges())
        m_detail->showBackstory(std::nullopt, {}); // no hit: nothing of the old row stays
}

void BackstoryBrowser::showCurrent()
{
    m_paneDelay->stop();
    if (!m_session) {
        m_detail->showBackstory(std::nullopt, {});
        return;
    }
    const QString uid = selectedUid();
    if (!uid.isEmpty() && uid == m_detail->currentUid() && m_detail->hasUnsavedChanges())
        return; // a refresh never replaces text being edited
    if (uid.isEmpty()) {
        m_detail->showBackstory(std::nullopt, {});
        return;
    }
    m_detail->showBackstory(m_session->readerStore().get(uid), m_session->readerStore().history(uid));
}

void BackstoryBrowser::saveEdit(const QString &uid, const QString &text)
{
    if (writeEdit(uid, text))
        showChanges(uid);
}

bool BackstoryBrowser::writeEdit(const QString &uid, const QString &text)
{
    if (!m_session)
        return false;
    // The writer lives for this one edit: the lock is free again for the CLI right after.
    auto writer = m_session->openWriter();
    if (!writer) {
        Q_EMIT message(tr("Could not save the edit of %1; the text stays unsaved here: %2")
                           .arg(uid, writer.error().toString()),
                       true);
        return false;
    }
    auto revision = BackstoryStore(**writer).edit(uid, text);
    writer->reset(); // the lock is released before the refresh
    if (!revision) {
        Q_EMIT message(tr("Could not save the edit of %1: %2").arg(uid, revision.error().toString()), true);
        return false;
    }
    Q_EMIT statusChanged(tr("Saved %1 as revision %2").arg(uid).arg(*revision));
    if (m_detail->currentUid() == uid)
        m_detail->showBackstory(m_session->readerStore().get(uid), m_session->readerStore().history(uid));
    return true;
}

void BackstoryBrowser::undoEdit(const QString &uid)
{
    if (!m_session)
        return;
    auto writer = m_session->openWriter();
    if (!writer) {
        Q_EMIT message(tr("Could not undo the last edit of %1: %2").arg(uid, writer.error().toString()),
                       true);
        return;
    }
    auto revision = BackstoryStore(**writer).undo(uid);
    writer->reset(); // the lock is released before the refresh
    if (!revision) {
        Q_EMIT message(tr("Could not undo the last edit of %1: %2").arg(uid, revision.error().toString()),
                       true);
        return;
    }
    Q_EMIT statusChanged(tr("Restored the previous text of %1 (now revision %2)").arg(uid).arg(*revision));
    showChanges(uid);
}

void BackstoryBrowser::updateStatus()
{
    const QLocale locale;
    if (!m_session)
        m_count->setText(QString());
    else if (m_model->isShowingSearchResults())
        m_count->setText(m_searchTotal > m_model->rowCount()
                             ? tr("first %1 of %2 matches")
                                   .arg(locale.toString(m_model->rowCount()), locale.toString(m_searchTotal))
                         : m_model->rowCount() == 1
                             ? tr("1 match")
                             : tr("%1 matches").arg(locale.toString(m_model->rowCount())));
    else
        m_count->setText(tr("%1 backstories").arg(locale.toString(m_model->rowCount())));
}

} // namespace anthology::ui
