"""Fictional Korean and English text for the benchmark seed: names, titles, bodies, bios, reviews.

Everything is put together from small fragments with the seed's random generator, so the same
seed writes the same words, and no sentence is anybody's real writing.
"""

from __future__ import annotations

import random

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN_SYLLABLES = "민서지현수윤하준도연우은채예진아린건호태희주원영성혜경나래솔빈"
ENGLISH_FIRST = ("Alex", "Jamie", "Morgan", "Riley", "Casey", "Taylor", "Jordan", "Robin", "Sam", "Dana")
ENGLISH_LAST = ("Kim", "Lee", "Park", "Moore", "Brooks", "Hayes", "Reed", "Walsh", "Grant", "Lane")

PLACES_KO = (
    "성산일출봉",
    "협재 해변",
    "광안리",
    "해운대",
    "경복궁",
    "북촌",
    "한강공원",
    "남산",
    "경주 대릉원",
    "전주 한옥마을",
    "속초 바다",
    "수원 화성",
    "감천문화마을",
    "오름",
    "올림픽공원",
    "서울숲",
)
PLACES_EN = (
    "Seongsan",
    "Hyeopjae beach",
    "Gwangalli",
    "Haeundae",
    "Gyeongbokgung",
    "Bukchon",
    "the Han river park",
    "Namsan",
    "Gyeongju",
    "Jeonju hanok village",
    "Sokcho",
    "Suwon fortress",
    "Gamcheon village",
    "a volcanic hill",
    "Olympic park",
    "Seoul forest",
)
KINDS_KO = (
    "웨딩 스냅",
    "가족사진",
    "프로필 사진",
    "여행 스냅",
    "우정 스냅",
    "돌 사진",
    "반려견 사진",
    "커플 스냅",
)
KINDS_EN = (
    "wedding snap",
    "family portrait",
    "profile shoot",
    "travel snap",
    "friends' snap",
    "first-birthday shoot",
    "pet portrait",
    "couple snap",
)

TITLES_KO = (
    "{place} {kind} 다녀왔어요",
    "{kind} 준비할 때 뭐가 필요할까요?",
    "{place}에서 {kind} 찍기 좋은 시간",
    "{kind} 옷 색 맞추기 질문",
    "{place} {kind} 후기 남겨요",
    "비 오는 날 {kind} 괜찮을까요",
    "{kind} 보정 어디까지 해 주시나요",
    "{place} 주차 팁 공유",
    "처음으로 {kind} 예약했어요",
)
TITLES_EN = (
    "Back from a {kind} at {place}",
    "What to bring to a {kind}?",
    "Best time for a {kind} at {place}",
    "Matching outfits for a {kind}",
    "Review: {kind} at {place}",
    "A {kind} on a rainy day?",
    "How much retouching comes with a {kind}?",
    "Parking near {place}",
    "Booked my first {kind}",
)
SENTENCES_KO = (
    "바람이 많이 불었지만 사진은 정말 마음에 들어요.",
    "작가님이 자연스럽게 포즈를 잡아 주셨어요.",
    "해 질 무렵 빛이 정말 예뻤어요.",
    "아이들이 지루해하지 않게 놀이처럼 찍어 주셨어요.",
    "원본은 일주일 안에 받았습니다.",
    "다음에는 가을에 다시 찍고 싶어요.",
    "혹시 비슷한 경험 있으신 분 계신가요?",
    "의상은 밝은 색으로 맞추는 게 좋다고 들었어요.",
    "주말에는 사람이 많아서 아침 일찍 가는 걸 추천해요.",
    "보정 정도를 미리 이야기해 두면 좋아요.",
    "소품은 작가님이 몇 가지 준비해 오셨어요.",
    "예약 확정 전에는 연락처가 안 보여서 안심됐어요.",
)
SENTENCES_EN = (
    "It was windy, but the photos came out lovely.",
    "The photographer made posing feel natural.",
    "The light at sunset was beautiful.",
    "The kids treated the whole shoot like a game.",
    "We had the originals within a week.",
    "We would like to come back in autumn.",
    "Has anyone had a similar experience?",
    "I heard light colours work best for outfits.",
    "Go early on weekends; it gets crowded.",
    "Agree on the retouching beforehand.",
    "The photographer brought a few props along.",
    "Contact details stay hidden until you confirm.",
)
COMMENTS_KO = (
    "좋은 정보 감사합니다!",
    "사진 보고 싶어요.",
    "저도 다음 달에 예약했어요.",
    "어느 작가님이셨나요?",
    "아침 일찍이 제일 좋아요.",
    "저는 흰 셔츠로 맞췄어요.",
    "부럽네요 ㅎㅎ",
    "참고할게요!",
)
COMMENTS_EN = (
    "Thanks, this helps!",
    "Would love to see the photos.",
    "Booked mine for next month too.",
    "Early morning works best.",
    "We wore white shirts.",
    "Great tip, thanks.",
    "Congrats!",
)
STUDIO_KO = ("바람", "햇살", "바다", "오름", "한옥", "노을", "숲", "별빛", "골목", "들꽃")
STUDIO_EN = ("Light", "Harbor", "Frame", "Moment", "Lens", "Coast", "Bloom", "Field", "Street", "Lantern")
REVIEWS_KO = (
    "친절하고 꼼꼼하게 찍어 주셨어요.",
    "결과물이 기대 이상이었어요.",
    "시간 약속을 잘 지켜 주셨어요.",
    "아이와 함께라 걱정했는데 편하게 찍었어요.",
    "보정이 자연스러워서 좋아요.",
)
REVIEWS_EN = (
    "Kind and thorough.",
    "The results beat our expectations.",
    "Right on time, easy to work with.",
    "Great with our kids.",
    "Natural retouching, just what we wanted.",
)


def person_name(rng: random.Random, english: bool) -> str:
    """A fictional person's name."""
    if english:
        return f"{rng.choice(ENGLISH_FIRST)} {rng.choice(ENGLISH_LAST)}"
    return rng.choice(SURNAMES) + rng.choice(GIVEN_SYLLABLES) + rng.choice(GIVEN_SYLLABLES)


def studio_name(rng: random.Random, region_ko: str, english: bool) -> str:
    """A photographer's display name, at most 60 characters."""
    if english:
        kind = rng.choice(("Studio", "Snaps", "Photo", "Works"))
        return f"{rng.choice(STUDIO_EN)} {kind} {rng.randrange(1, 999)}"
    kind = rng.choice(("스냅", "사진관", "스튜디오", "포토"))
    return f"{region_ko} {rng.choice(STUDIO_KO)} {kind} {rng.randrange(1, 999)}"


def _sentences(rng: random.Random, pool: tuple[str, ...], low: int, high: int) -> str:
    return " ".join(rng.sample(pool, rng.randint(low, high)))


def post_text(rng: random.Random, english: bool) -> tuple[str, str]:
    """A post's title and body; bodies run one to four short paragraphs."""
    place, kind = rng.randrange(len(PLACES_KO)), rng.randrange(len(KINDS_KO))
    if english:
        title = rng.choice(TITLES_EN).format(place=PLACES_EN[place], kind=KINDS_EN[kind])
        pool = SENTENCES_EN
    else:
        title = rng.choice(TITLES_KO).format(place=PLACES_KO[place], kind=KINDS_KO[kind])
        pool = SENTENCES_KO
    body = "\n\n".join(_sentences(rng, pool, 1, 3) for _ in range(rng.randint(1, 4)))
    return title[:200], body


def comment_text(rng: random.Random, english: bool) -> str:
    """A short comment."""
    return rng.choice(COMMENTS_EN if english else COMMENTS_KO)


def bio(rng: random.Random, english: bool) -> str:
    """A photographer's bio in one language."""
    if english:
        kinds = ", ".join(rng.sample(KINDS_EN, 2))
        return f"{kinds.capitalize()} around {rng.choice(PLACES_EN)} and wherever you like. " + _sentences(
            rng, SENTENCES_EN, 1, 2
        )
    kinds = ", ".join(rng.sample(KINDS_KO, 2))
    return f"{rng.choice(PLACES_KO)} 근처에서 {kinds}을 찍습니다. " + _sentences(rng, SENTENCES_KO, 1, 2)


def review_text(rng: random.Random, english: bool) -> str:
    """A customer's short review."""
    return rng.choice(REVIEWS_EN if english else REVIEWS_KO)
