#include "BackstoryBrowser.h"

#include "BackstoryDetailPane.h"
#include "BackstorySearchWorker.h"
#include "BackstoryTableModel.h"
#include "ProjectSession.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSplitter>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

BackstoryBrowser::BackstoryBrowser(QWidget *parent)
    : QWidget(parent), m_model(new BackstoryTableModel(this)), m_search(new QLineEdit(this)),
      m_count(new QLabel(this)), m_table(new QTableView(this)), m_detail(new BackstoryDetailPane(this)),
      m_searchDelay(new QTimer(this)), m_searchThread(std::make_unique<QThread>()),
      m_searchWorker(new BackstorySearchWorker)
{
    m_search->setObjectName(u"searchField"_s);
    m_search->setPlaceholderText(tr("Search backstories (Ctrl+F): words, \"a phrase\", or prefix*"));
    m_search->setClearButtonEnabled(true);
    m_count->setObjectName(u"countLabel"_s);
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
    m_table->horizontalHeader()->setSectionResizeMode(BackstoryTableModel::UidColumn,
                                                      QHeaderView::Interactive);
    m_table->setColumnWidth(BackstoryTableModel::UidColumn, 140);
    for (int c : {BackstoryTableModel::CharactersColumn, BackstoryTableModel::TokensColumn,
                  BackstoryTableModel::RevisionColumn})
        m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_detail->setObjectName(u"detailPane"_s);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *searchRow = new QHBoxLayout;
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_count);
    leftLayout->addLayout(searchRow);
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
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &BackstoryBrowser::showCurrent);
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

    m_searchWorker->moveToThread(m_searchThread.get());
    connect(m_searchThread.get(), &QThread::finished, m_searchWorker, &QObject::deleteLater);
    connect(m_searchWorker, &BackstorySearchWorker::searched, this, &BackstoryBrowser::onSearched);
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
    const QString uid = selectedUid();
    const int previousRow = m_table->currentIndex().row();
    m_model->refresh();
    if (m_model->isShowingSearchResults())
        runSearch();
    // An edit keeps a row where it was (unless sorted by length): look there first.
    int row = -1;
    if (!uid.isEmpty())
        row = m_model->uidAt(previousRow) == uid ? previousRow : m_model->rowOfUid(uid);
    if (row >= 0)
        m_table->selectRow(row);
    showCurrent();
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

void BackstoryBrowser::scheduleSearch()
{
    m_searchDelay->start();
}

void BackstoryBrowser::runSearch()
{
    m_searchDelay->stop();
    const QString query = m_search->text().trimmed();
    const quint64 generation = ++m_generation;
    if (query.isEmpty()) {
        m_model->showAll();
        return;
    }
    QMetaObject::invokeMethod(m_searchWorker, [worker = m_searchWorker, generation, query]() {
        worker->search(generation, query);
    });
}

void BackstoryBrowser::onSearched(quint64 generation, const QList<BackstorySummary> &hits, int total,
                                  const QString &errorText)
{
    if (generation != m_generation)
        return; // the user typed on; a newer query is under way
    if (!errorText.isEmpty()) {
        Q_EMIT message(tr("Search failed: %1").arg(errorText), true);
        return;
    }
    m_searchTotal = total;
    m_model->showSearchResults(hits);
    if (!hits.isEmpty())
        m_table->selectRow(0);
}

void BackstoryBrowser::showCurrent()
{
    if (!m_session) {
        m_detail->showBackstory(std::nullopt, {});
        return;
    }
    const QString uid = selectedUid();
    if (uid.isEmpty() || uid == m_detail->currentUid()) {
        if (uid.isEmpty())
            m_detail->showBackstory(std::nullopt, {});
        else
            m_detail->showBackstory(m_session->readerStore().get(uid), m_session->readerStore().history(uid));
        return;
    }
    m_detail->showBackstory(m_session->readerStore().get(uid), m_session->readerStore().history(uid));
}

void BackstoryBrowser::saveEdit(const QString &uid, const QString &text)
{
    if (!m_session)
        return;
    // The writer lives for this one edit: the lock is free again for the CLI right after.
    auto writer = m_session->openWriter();
    if (!writer) {
        Q_EMIT message(tr("Could not save the edit of %1; the text stays unsaved here: %2")
                           .arg(uid, writer.error().toString()),
                       true);
        return;
    }
    auto revision = BackstoryStore(**writer).edit(uid, text);
    writer->reset(); // the lock is released before the refresh
    if (!revision) {
        Q_EMIT message(tr("Could not save the edit of %1: %2").arg(uid, revision.error().toString()), true);
        return;
    }
    Q_EMIT statusChanged(tr("Saved %1 as revision %2").arg(uid).arg(*revision));
    reload();
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
    reload();
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
                             : tr("%n match(es)", nullptr, m_model->rowCount()));
    else
        m_count->setText(tr("%1 backstories").arg(locale.toString(m_model->rowCount())));
}

} // namespace anthology::ui
