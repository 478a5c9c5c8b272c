"""The partners' network (こども食堂ネットワーク): donations offered and claimed in shares,
what members need, and each member's public profile (one URL per form)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.core.errors import message_of
from tsunagu.core.views_common import apply_posted

from . import forms, selectors, services
from .models import Donation, Need, Network, NetworkMember


def _network(request: HttpRequest, pk: int) -> Network:
    return get_object_or_404(selectors.networks_for(request.user), pk=pk)


@requires("watch.network")
def network(request: HttpRequest) -> HttpResponse:
    """The networks the viewer belongs to (the center: its city's), each with the open
    donations, the needs, and the members' public profiles."""
    rows = [
        {
            "network": each,
            "offers": selectors.offers_in(request.user, each),
            "needs": [
                (need, policy.may(request.user, "watch.need_close", need))
                for need in policy.scope(
                    request.user, each.needs.filter(met=False).select_related("organisation")
                )
            ],
            "members": policy.scope(request.user, each.members.select_related("organisation")),
            "may_post": policy.may(request.user, "watch.network_post", each),
        }
        for each in selectors.networks_for(request.user)
    ]
    own = NetworkMember.objects.filter(organisation=request.user.organisation_id).first()
    return render(request, "watch/network.html", {"rows": rows, "own_member": own})


@requires("watch.network")
def donation_create(request: HttpRequest, network_pk: int) -> HttpResponse:
    network = _network(request, network_pk)
    form = forms.DonationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        donation = form.save(commit=False)
        donation.network = network
        try:
            services.offer_donation(donation, actor=request.user)
        except ValidationError as error:
            form.add_error(None, message_of(error))
        else:
            messages.success(request, f"「{donation}」をネットワークに掲載しました。")
            return redirect("watch:donation_detail", donation.pk)
    return render(request, "watch/donation_form.html", {"form": form, "network": network})


def _donation(request: HttpRequest, pk: int) -> Donation:
    donations = Donation.objects.select_related("network", "offered_by")
    return get_object_or_404(policy.scope(request.user, donations), pk=pk)


@requires("watch.network")
def donation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    donation = _donation(request, pk)
    claims = policy.scope(request.user, donation.claims.select_related("organisation"))
    taken = sum(claim.quantity for claim in claims)
    return render(
        request,
        "watch/donation_detail.html",
        {
            "donation": donation,
            "claims": claims,
            "left": donation.quantity - taken,
            "may_claim": policy.may(request.user, "watch.network_post", donation.network),
            "claim_form": forms.ClaimForm(),
        },
    )


@require_POST
@requires("watch.network")
def donation_claim(request: HttpRequest, pk: int) -> HttpResponse:
    donation = _donation(request, pk)
    return apply_posted(
        request,
        forms.ClaimForm(request.POST),
        lambda data: services.claim_share(donation, data["quantity"], actor=request.user),
        done="配分を記録しました。受け取り方法は掲載の内容を確認してください。",
        back="watch:donation_detail",
        pk=pk,
    )


@requires("watch.network")
def need_create(request: HttpRequest, network_pk: int) -> HttpResponse:
    network = _network(request, network_pk)
    form = forms.NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        need = form.save(commit=False)
        need.network = network
        try:
            services.post_need(need, actor=request.user)
        except ValidationError as error:
            form.add_error(None, message_of(error))
        else:
            messages.success(request, "ほしいものを掲載しました。")
            return redirect("watch:network")
    return render(request, "watch/need_form.html", {"form": form, "network": network})


@require_POST
@requires("watch.need_close")
def need_met(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(policy.scope(request.user, Need.objects.all()), pk=pk)
    services.mark_need_met(need, actor=request.user)
    messages.success(request, f"「{need}」をそろったにしました。")
    return redirect("watch:network")


@requires("watch.profile_edit")
def profile_edit(request: HttpRequest) -> HttpResponse:
    """The viewer's organisation's public profile in its network."""
    member = NetworkMember.objects.filter(organisation=request.user.organisation_id).first()
    if member is None:
        raise Http404
    form = forms.ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.edit_profile(member, data["profile"], data["contact"], actor=request.user)
        messages.success(request, "団体の紹介を更新しました。")
        return redirect("watch:network")
    return render(request, "watch/profile_form.html", {"form": form, "member": member})
