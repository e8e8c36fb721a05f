"""Every French sentence of the Telegram conversation (the domain's own sentences live in knowledge/texts.py)."""

WELCOME = (
    "Bonjour ! Je repère pour les structures de l'ESS (associations, coopératives, mutuelles, fondations, SIAE, "
    "entreprises ESUS, collectivités) les <b>appels à projets</b>, <b>AMI</b>, <b>événements</b> et <b>offres</b> "
    "qui leur sont ouverts, et je dis pourquoi.\n\n"
    "Posez votre question en une phrase, par exemple « appels pour une association en Normandie », "
    "ou choisissez :"
)
HELP = (
    "<b>Ce que je comprends</b>\n"
    "• Une question libre : « AAP emploi jeunes normandie », « evenements en juin », « offres pour une mairie "
    "dans le 76 », « financement 30k pour une SCOP ». Fautes de frappe et absence d'accents bienvenues.\n"
    "• Les filtres : type (appel, AMI, événement, offre), structure (asso, SCOP, SIAE, mairie…), territoire "
    "(région, département, ville), période (« en juin », « cet été », « avant septembre »), montant (« 30 000 € »).\n\n"
    "<b>Commandes</b>\n"
    "/appels – appels à projets et AMI ouverts\n"
    "/evenements – événements à venir\n"
    "/offres – offres et services\n"
    "/eligibilite – vérifier votre éligibilité (profil guidé)\n"
    "/profil – voir ou modifier votre profil\n"
    "/abonnement – recevoir chaque semaine ce qui est nouveau pour vous\n"
    "/desabonner – arrêter le récapitulatif\n"
    "/supprimer – effacer toutes vos données\n"
    "/annuler – quitter la question en cours\n"
    "/aide – ce message"
)
COMMANDS = [
    ("appels", "Appels à projets et AMI ouverts"),
    ("evenements", "Événements à venir"),
    ("offres", "Offres et services"),
    ("eligibilite", "Suis-je éligible ? (profil guidé)"),
    ("profil", "Mon profil"),
    ("abonnement", "Récapitulatif hebdomadaire"),
    ("desabonner", "Arrêter le récapitulatif"),
    ("supprimer", "Effacer toutes mes données"),
    ("annuler", "Annuler la question en cours"),
    ("aide", "Aide et exemples"),
]

MENU_SEARCH = "🔎 Rechercher"
MENU_ELIGIBILITY = "✅ Suis-je éligible ?"
MENU_PROFILE = "👤 Mon profil"
MENU_DIGEST = "📬 Récapitulatif hebdomadaire"
MENU_HELP = "❓ Aide"
SEARCH_PROMPT = "Écrivez votre question, par exemple « appels pour une association » ou « événements en juin »."

BUTTON_DETAILS = "ℹ️ Détails {n}"
BUTTON_ELIGIBLE = "✅ Éligible ? {n}"
BUTTON_MORE = "➕ Plus de résultats"
BUTTON_BACK = "⬅️ Retour"
BUTTON_CANCEL = "✖️ Annuler"
BUTTON_DONE = "✔️ Terminé"
BUTTON_SKIP_DEPARTMENT = "Toute la région"
BUTTON_UNKNOWN = "Je ne sais pas"
BUTTON_YES = "Oui"
BUTTON_NO = "Non"
BUTTON_CONFIRM = "👍 Valider"
BUTTON_FIX = "✏️ Corriger"
BUTTON_OVERSEAS = "Outre-mer"

UNKNOWN_COMMAND = "Je ne connais pas cette commande. Voici ce que je sais faire :"
NOTHING_TO_CANCEL = "Il n'y a rien à annuler. Posez une question quand vous voulez."
STALE_BUTTON = "Ce bouton n'est plus valable. Posez à nouveau votre question ou tapez /aide."
ITEM_GONE = "Cet élément n'existe plus dans la base. Posez à nouveau votre question."
NO_MORE = "Il n'y a pas d'autres résultats."
EMPTY_MESSAGE = "Je n'ai pas reçu de texte. Posez votre question en une phrase, ou tapez /aide."
NOT_TEXT = "Je ne lis que les messages écrits. Posez votre question en une phrase, ou tapez /aide."

SCOPE_FOR_PROFILE = "Pour votre profil ({profile}) :"
SCOPE_NO_PROFILE = "Astuce : /eligibilite enregistre votre profil pour filtrer ces listes."

# --- eligibility conversation ----------------------------------------------------------------------------------------

ASK_TYPE = "<b>1/6 — Quel est le type de votre structure ?</b>\nChoisissez ou écrivez-le (« asso », « SCOP », « mairie »…)."
ASK_REGION = "<b>2/6 — Dans quelle région agissez-vous ?</b>\nChoisissez ou écrivez-la (« Normandie », « 28 »)."
ASK_OVERSEAS = "<b>2/6 — Quelle région d'outre-mer ?</b>"
ASK_DEPARTMENT = ("<b>3/6 — Quel département ?</b>\nChoisissez, écrivez-le (« Calvados », « 14 ») ou gardez toute "
                  "la région.")
ASK_THEMES = ("<b>4/6 — Quels thèmes vous intéressent ?</b>\nTouchez pour cocher ou décocher, ou écrivez-les "
              "(« culture, emploi »), puis « Terminé ».")
ASK_BUDGET = ("<b>5/6 — Quel est le budget de votre projet ?</b>\nÉcrivez un montant (« 30 000 € », « 30k ») ou "
              "choisissez.")
ASK_ESUS = ("<b>6/6 — Votre structure a-t-elle l'agrément ESUS ?</b>\nL'agrément « entreprise solidaire d'utilité "
            "sociale », accordé pour 5 ans ; les SIAE l'ont de droit.")
CONFIRM = "<b>Votre profil</b>\n{summary}\n\nC'est bien cela ?"
ASK_FIX = "Que voulez-vous corriger ?"
FIX_FIELDS = {"type": "Type de structure", "region": "Région et département", "themes": "Thèmes",
              "budget": "Budget", "esus": "Agrément ESUS"}

NOT_UNDERSTOOD_TYPE = "Je n'ai pas reconnu ce type de structure. Choisissez dans la liste, ou « autre »."
NOT_UNDERSTOOD_REGION = "Je n'ai pas reconnu cette région. Choisissez dans la liste ou écrivez son nom."
NOT_UNDERSTOOD_DEPARTMENT = "Je n'ai pas reconnu ce département dans votre région. Choisissez dans la liste."
NOT_UNDERSTOOD_THEMES = "Je n'ai reconnu aucun thème. Touchez les boutons, ou écrivez « terminé »."
NOT_UNDERSTOOD_BUDGET = ("Je n'ai pas compris ce montant. Écrivez par exemple « 30000 », « 30k » ou « 30 000 € », "
                         "ou « je ne sais pas ».")
BUDGET_OUT_OF_RANGE = "Ce montant paraît impossible (entre 1 € et 2 milliards d'euros). Réessayez."
NOT_UNDERSTOOD_YES_NO = "Répondez « oui », « non » ou « je ne sais pas », ou touchez un bouton."
USE_BUTTONS = "Touchez un bouton ou écrivez votre réponse."

SUMMARY_TYPE = "• Type : {value}"
SUMMARY_TERRITORY = "• Territoire : {value}"
SUMMARY_THEMES = "• Thèmes : {value}"
SUMMARY_BUDGET = "• Budget du projet : {value}"
SUMMARY_ESUS = "• Agrément ESUS : {value}"
UNKNOWN = "non précisé"
NONE_CHOSEN = "aucun"
YES, NO = "oui", "non"

SAVED = "C'est noté, votre profil est enregistré."
ALL_VERDICTS = "Voici le point sur chaque opportunité :"
CANCELLED = "D'accord, j'arrête là. Rien n'a été modifié. Posez une question quand vous voulez."
TIMEOUT = "Sans réponse de votre part, j'ai mis la question en pause. Tapez /eligibilite pour reprendre."
VERDICT_SUMMARY = "{eligible}, {to_check} à vérifier, {not_eligible}."
ELIGIBILITY_NEEDS_PROFILE = ("Pour vous répondre, j'ai besoin de connaître votre structure : 6 questions rapides. "
                             "On commence ?")
BUTTON_START_PROFILE = "C'est parti"
BUTTON_LATER = "Plus tard"
LATER = "D'accord. Tapez /eligibilite quand vous voulez."
ITEM_VERDICT_FIRST = "Pour l'élément que vous regardiez :"

# --- profile ----------------------------------------------------------------------------------------------------------

PROFILE_NONE = "Vous n'avez pas encore de profil. Tapez /eligibilite pour le créer en 6 questions."
PROFILE_SHOW = "<b>Votre profil</b>\n{summary}"
BUTTON_EDIT = "✏️ {field}"
BUTTON_DELETE = "🗑️ Supprimer mes données"
DELETE_CONFIRM = ("Supprimer votre profil, vos recherches, votre abonnement, les éléments suivis et la "
                  "conversation en cours ? Cette action est définitive.")
BUTTON_DELETE_YES = "Oui, tout supprimer"
BUTTON_DELETE_NO = "Non, garder"
DELETED = "Toutes vos données ont été supprimées. À bientôt !"
DELETE_KEPT = "Rien n'a été supprimé."

# --- errors -----------------------------------------------------------------------------------------------------------

ERROR = "Désolé, une erreur s'est produite de mon côté. Réessayez dans un instant ; si elle persiste, tapez /aide."
DATABASE_DOWN = "La base de données est momentanément indisponible. Réessayez dans quelques instants."

# --- weekly digest and follows ----------------------------------------------------------------------------------------

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
HOURS = [7, 8, 9, 10, 12, 14, 17, 18, 20]
CONTENT_LABELS = {"calls": "Appels à projets et AMI", "events": "Événements", "offers": "Offres et ressources"}
SUB_INTRO = ("<b>Récapitulatif hebdomadaire</b>\nChaque semaine, ce qui est nouveau pour votre profil, les clôtures "
             "et les événements des 14 jours suivants. Quand le recevoir ?")
BUTTON_SUB_QUICK = "✅ Chaque lundi à 9 h"
BUTTON_SUB_CHOOSE = "🗓️ Choisir le jour et l'heure"
ASK_WEEKDAY = "Quel jour de la semaine ?"
ASK_HOUR = "À quelle heure, le {day} ? (heure de Paris)"
SUB_DONE = ("C'est noté : un récapitulatif chaque {day} à {hour} h. Le prochain : {next}.\n"
            "Réglages : /abonnement · Arrêter : /desabonner")
SUB_CURRENT = ("<b>Votre récapitulatif</b>\n• Quand : chaque {day} à {hour} h\n• Contenu : {content}\n"
               "• Semaine sans nouveauté : {empty}\n• {state}")
SUB_NEXT = "Prochain envoi : {next}"
SUB_PAUSED = "En pause jusqu'au {until} (prochain envoi : {next})"
SUB_EMPTY_SHORT = "un court message"
SUB_EMPTY_QUIET = "aucun message"
CONTENT_ALL = "tout (appels, événements, offres)"
BUTTON_SUB_DAY = "🗓️ Changer le jour ou l'heure"
BUTTON_SUB_CONTENT = "🧾 Contenu"
BUTTON_SUB_PAUSE = "⏸️ Pause 4 semaines"
BUTTON_SUB_RESUME = "▶️ Reprendre"
BUTTON_SUB_STOP = "🛑 Se désabonner"
BUTTON_SUB_QUIET = "Semaine sans nouveauté : {value}"
ASK_CONTENT = "Que voulez-vous recevoir ? Touchez pour cocher ou décocher."
PAUSED = "Récapitulatif en pause pendant 4 semaines, jusqu'au {until}. /abonnement pour le reprendre plus tôt."
RESUMED = "Récapitulatif repris. Le prochain : {next}."
UNSUBSCRIBED = "Vous ne recevrez plus le récapitulatif. /abonnement pour vous réabonner."
NOT_SUBSCRIBED = "Vous n'êtes pas abonné au récapitulatif. /abonnement pour vous abonner."

BUTTON_FOLLOW = "⭐ Suivre"
BUTTON_UNFOLLOW = "Ne plus suivre"
FOLLOWED = "⭐ Suivi. Je vous préviendrai 7 jours puis 1 jour avant : {when}."
ALREADY_FOLLOWED = "Vous suivez déjà cet élément."
UNFOLLOWED = "Vous ne suivez plus cet élément."
NOTHING_TO_FOLLOW = "Cet élément n'a pas d'échéance à venir : il n'y a rien à rappeler."

# --- administrators ---------------------------------------------------------------------------------------------------

ADMIN_NO_SOURCE = "Aucune source. Ajoutez-en avec <code>ess-bot sources add URL</code>."
ADMIN_SOURCES = "<b>Sources</b>"
ADMIN_SOURCE_LINE = "{state} {name} ({kind}) : {when}, {count} élément(s){error}"
ADMIN_NEVER_READ = "jamais lue"
ADMIN_SYNC_STARTED = "Lecture des sources en cours…"
ADMIN_STATS = "<b>Statistiques</b>"
ADMIN_USERS = "Utilisateurs : {users} ({profiles}, {searchers} ayant cherché)"
ADMIN_SUBSCRIPTIONS = "Abonnements : {active}, {stopped}"
ADMIN_ITEMS = "Éléments : {items}"
ADMIN_SOURCE_STAT = "Source {name} : dernière lecture {when} ({status})"
ADMIN_NEVER = "jamais"
