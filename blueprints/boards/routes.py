"""Views of the boards."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from blueprints.boards import bp
from blueprints.boards.forms import (
    REPORT_REASON_LABELS,
    CommentForm,
    DeleteForm,
    ObjectionForm,
    PostForm,
    ReportForm,
)
from blueprints.fragments import cached
from blueprints.messages import refusal_message, show_refusal
from blueprints.security.limits import limited
from services.boards import all_boards, board_by_slug, comment_page, post_page
from services.posts import (
    PostingError,
    add_comment,
    can_open,
    can_read,
    create_post,
    delete_comment,
    delete_post,
    edit_comment,
    edit_post,
    find_content,
    post_of,
    posting_suspended_until,
)
from services.reports import has_reported, object_to_measure, open_measure, open_measures, report
from services.rules import valid_id

HELD = _l("Thank you. Your writing is held for a moderator to check before it appears.")


def _board_or_404(slug: str):
    board = board_by_slug(slug)
    if board is None:
        abort(404)
    return board


def _post_or_404(slug: str, post_id: int):
    board = _board_or_404(slug)
    post = find_content("post", post_id)
    if post is None or post.board_id != board.id or not can_open(post, current_user):
        abort(404)
    return board, post


def _own_or_404(kind: str, content_id: int):
    content = find_content(kind, content_id)
    if content is None or content.author_id != current_user.id:
        abort(404)
    return content


def _cursor(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if valid_id(value) else None


@bp.get("/")
def index():
    """Every board, with what it is for."""
    return render_template("boards/index.html", boards=all_boards())


@bp.get("/<slug>/")
def board(slug: str):
    """One board's posts, newest first, a keyset page at a time."""
    board = _board_or_404(slug)
    page = post_page(board, before=_cursor("before"), after=_cursor("after"))
    listing = cached(
        "boards/_listing.html", slug=board.slug, rows=tuple(page.rows), older=page.older, newer=page.newer
    )
    return render_template("boards/board.html", board=board, listing=listing)


@bp.route("/<slug>/new", methods=["GET", "POST"])
@limited("RATELIMIT_POSTING")
@login_required
def new_post(slug: str):
    """Write a post."""
    board = _board_or_404(slug)
    form = PostForm()
    status = 200
    if form.validate_on_submit():
        try:
            post = create_post(current_user, board, form.title.data, form.body.data)
        except PostingError as error:
            show_refusal(form, error)
            status = 429 if error.code == "rate_limited" else 400
        else:
            if post.status == "held":
                flash(HELD, "info")
                return redirect(url_for("boards.board", slug=slug))
            return redirect(url_for("boards.post", slug=slug, post_id=post.id))
    elif form.errors:
        status = 400
    return render_template("boards/post_form.html", board=board, form=form, post=None, **_writer()), status


def _writer() -> dict:
    return {"suspended_until": posting_suspended_until(current_user)}


@bp.get("/<slug>/<int:post_id>")
def post(slug: str, post_id: int):
    """A post with its comments."""
    board, post = _post_or_404(slug, post_id)
    comments = comment_page(post, after=_cursor("after"))
    signed_in = current_user.is_authenticated
    return render_template(
        "boards/post.html",
        board=board,
        post=post,
        readable=can_read(post, current_user),
        # A measure exists only on content out of sight: published posts skip the query.
        measure=open_measure(post) if post.status != "published" else None,
        comments=comments,
        comment_measures=open_measures("comment", [c.id for c in comments.rows if c.status != "published"]),
        can_read=can_read,
        comment_form=CommentForm() if signed_in else None,
        delete_form=DeleteForm(),
        objection_form=ObjectionForm(),
        suspended_until=posting_suspended_until(current_user) if signed_in else None,
    )


@bp.route("/<slug>/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, post_id: int):
    """Change my post."""
    board, post = _post_or_404(slug, post_id)
    if post.author_id != current_user.id:
        abort(404)
    form = PostForm(obj=post)
    if form.validate_on_submit():
        try:
            edit_post(current_user, post, form.title.data, form.body.data)
        except PostingError as error:
            show_refusal(form, error)
        else:
            flash(HELD if post.status == "held" else _l("Your post is saved."), "success")
            return redirect(url_for("boards.post", slug=slug, post_id=post.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("boards/post_form.html", board=board, form=form, post=post, **_writer()), status


@bp.post("/<slug>/<int:post_id>/delete")
@login_required
def remove(slug: str, post_id: int):
    """Delete my post and the comments under it."""
    board = _board_or_404(slug)
    post = _own_or_404("post", post_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    delete_post(current_user, post)
    flash(_l("Your post is deleted."), "success")
    return redirect(url_for("boards.board", slug=board.slug))


@bp.post("/<slug>/<int:post_id>/comments")
@limited("RATELIMIT_POSTING")
@login_required
def comment(slug: str, post_id: int):
    """Add a comment under a post."""
    board, post = _post_or_404(slug, post_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            added = add_comment(current_user, post, form.body.data)
        except PostingError as error:
            flash(refusal_message(error), "error")
        else:
            flash(HELD if added.status == "held" else _l("Your comment is posted."), "success")
    else:
        for errors in form.errors.values():
            flash(_l("Comment: %(problem)s", problem=errors[0]), "error")
    return redirect(url_for("boards.post", slug=slug, post_id=post.id) + "#comments")


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment_view(comment_id: int):
    """Change my comment."""
    comment = _own_or_404("comment", comment_id)
    post = post_of(comment)
    if not can_open(post, current_user):
        abort(404)
    form = CommentForm(obj=comment)
    if form.validate_on_submit():
        try:
            edit_comment(current_user, comment, form.body.data)
        except PostingError as error:
            show_refusal(form, error)
        else:
            flash(_l("Your comment is saved."), "success")
            return redirect(url_for("boards.post", slug=post.board.slug, post_id=post.id) + "#comments")
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "boards/comment_form.html",
        form=form,
        post=post,
        comment=comment,
        title_shown=can_read(post, current_user),
    ), status


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def remove_comment_view(comment_id: int):
    """Delete my comment."""
    comment = _own_or_404("comment", comment_id)
    post = post_of(comment)
    if not DeleteForm().validate_on_submit():
        abort(400)
    delete_comment(current_user, comment)
    flash(_l("Your comment is deleted."), "success")
    return redirect(url_for("boards.post", slug=post.board.slug, post_id=post.id) + "#comments")


@bp.route("/report/<any(post, comment):kind>/<int:target_id>", methods=["GET", "POST"])
@limited("RATELIMIT_REPORT")
@login_required
def report_view(kind: str, target_id: int):
    """Report a post or comment to the moderators."""
    content = find_content(kind, target_id)
    if content is None or not can_read(content, current_user):
        abort(404)
    post = post_of(content)
    if not can_open(post, current_user):  # a comment under a post that is out of sight
        abort(404)
    back = url_for("boards.post", slug=post.board.slug, post_id=post.id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            report(current_user, content, form.reason.data, form.details.data)
        except PostingError as error:
            show_refusal(form, error)
        else:
            flash(_l("Thank you. Your report is with the moderators."), "success")
            # A post the report just hid is no longer there to go back to.
            visible = can_open(post, current_user)
            return redirect(back if visible else url_for("boards.board", slug=post.board.slug))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "boards/report.html",
        form=form,
        content=content,
        post=post,
        back=back,
        title_shown=can_read(post, current_user),
        already=has_reported(current_user, content),
        labels=REPORT_REASON_LABELS,
    ), status


@bp.post("/objection/<any(post, comment):kind>/<int:target_id>")
@login_required
def objection(kind: str, target_id: int):
    """The author objects to the temporary measure on their post or comment."""
    content = _own_or_404(kind, target_id)
    post = post_of(content)
    form = ObjectionForm()
    if form.validate_on_submit():
        try:
            object_to_measure(current_user, content, form.objection.data)
        except PostingError as error:
            flash(refusal_message(error), "error")
        else:
            flash(_l("Your objection is with the moderators. We will e-mail you their decision."), "success")
    else:
        flash(_l("Write why the post should be shown again."), "error")
    return redirect(url_for("boards.post", slug=post.board.slug, post_id=post.id))
