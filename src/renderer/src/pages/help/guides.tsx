/**
 * The user guide, in French, for the people at the desk and in the offices (issue 12): one page
 * per role, written as tasks ("Accueillir une personne", "Passer le relais"…). It describes the
 * product as the screens show it; keep it in step with them (the README lists the same flows).
 */
import type { ReactNode } from 'react';
import { Kbd, List, Table, Text } from '@mantine/core';
import type { Role } from '../../../../shared/permissions';

export interface GuideSection {
  id: string;
  title: string;
  body: ReactNode;
}

export interface Guide {
  slug: string;
  role: Role;
  title: string;
  intro: ReactNode;
  sections: GuideSection[];
}

const K = ({ children }: { children: string }) => <Kbd>{children}</Kbd>;

/** Every shortcut printed in the app, as the desk uses them (AZERTY and QWERTY alike). */
export function ShortcutsTable({ forReception }: { forReception: boolean }) {
  const rows: [ReactNode, string][] = [
    [
      <>
        <K>?</K> ou <K>F1</K>
      </>,
      'Liste des raccourcis et lien vers ce guide, sur toutes les pages',
    ],
    ...(forReception
      ? ([
          [
            <>
              <K>Alt</K> + <K>N</K>
            </>,
            'Nouvelle arrivée (le curseur va sur le choix du service)',
          ],
        ] as [ReactNode, string][])
      : []),
    [
      <>
        <K>Alt</K> + <K>S</K>
      </>,
      'Appeler la personne suivante du service affiché, vers mon poste',
    ],
    [
      <>
        <K>Alt</K> + <K>1</K> … <K>9</K>
      </>,
      'Changer d’onglet de service dans la file (les touches du haut du clavier, sans Maj, ou le pavé numérique)',
    ],
    [
      <>
        <K>Alt</K> + <K>T</K>
      </>,
      'Noter un appel téléphonique : puis une touche (1, 2, 3…) choisit le domaine',
    ],
    [
      <>
        <K>Alt</K> + <K>E</K>
      </>,
      'Noter un courriel, de la même façon',
    ],
    [
      <>
        <K>Ctrl</K> + <K>Entrée</K>
      </>,
      'Enregistrer le formulaire ouvert (contact…)',
    ],
    [<K key="esc">Échap</K>, 'Fermer le formulaire ou la fenêtre ouverte sans enregistrer'],
    [
      <>
        <K>Alt</K> + <K>L</K>
      </>,
      'Verrouiller le poste (rien ne reste affiché)',
    ],
  ];
  return (
    <Table withTableBorder aria-label="Raccourcis clavier" data-testid="help-shortcuts">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Touches</Table.Th>
          <Table.Th scope="col">Ce que cela fait</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map(([keys, what]) => (
          <Table.Tr key={what}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{keys}</Table.Td>
            <Table.Td>{what}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

const p = (text: ReactNode) => (
  <Text size="sm" mb="xs">
    {text}
  </Text>
);

const steps = (items: ReactNode[]) => (
  <List type="ordered" size="sm" spacing={4} mb="xs">
    {items.map((it, i) => (
      <List.Item key={i}>{it}</List.Item>
    ))}
  </List>
);

const points = (items: ReactNode[]) => (
  <List size="sm" spacing={4} mb="xs">
    {items.map((it, i) => (
      <List.Item key={i}>{it}</List.Item>
    ))}
  </List>
);

const SECTION_SIGN_IN: GuideSection = {
  id: 'connexion',
  title: 'Se connecter, verrouiller, changer d’agent',
  body: (
    <>
      {p('Connectez-vous avec votre identifiant et votre mot de passe. La première fois, l’application vous demande de choisir votre propre mot de passe.')}
      {points([
        <>
          Sur un poste partagé, choisissez un <strong>code personnel</strong> (menu ▾ à côté de votre nom) : après une première connexion par mot de passe dans la
          journée, il suffit pour reprendre la main.
        </>,
        <>
          Quand vous quittez le poste, cliquez <strong>Verrouiller</strong> (<K>Alt</K> + <K>L</K>) : plus rien n’est affiché. Le poste se verrouille aussi seul
          après quelques minutes sans activité.
        </>,
        'Cinq erreurs de suite bloquent le compte pendant 15 minutes.',
      ])}
    </>
  ),
};

const SECTION_ERRORS: GuideSection = {
  id: 'erreurs',
  title: 'Quand un formulaire refuse une saisie',
  body: (
    <>
      {p(
        'Rien n’est enregistré tant qu’un point est à corriger. Le message s’affiche sous le champ concerné et un encadré rouge en haut du formulaire liste les points : cliquez sur un point pour aller directement au champ.',
      )}
      {points([
        'Les champs de texte limités affichent un compteur (par exemple « 480/500 caractères ») : rien n’est coupé sans vous le dire, raccourcissez le texte.',
        'Les dates se tapent jj/mm/aaaa (ou se choisissent dans le calendrier), les heures en 24 h (14:30).',
        'Un rendez-vous en dehors des horaires d’ouverture du site, ou déjà passé, est refusé : vérifiez l’heure.',
      ])}
    </>
  ),
};

const SECTION_CONTACT: GuideSection = {
  id: 'contact',
  title: 'Enregistrer un contact',
  body: (
    <>
      {p('Chaque personne accueillie, appelée ou qui écrit donne lieu à un contact : c’est ce que comptent les statistiques ASIP. Un contact est anonyme par défaut.')}
      {steps([
        <>
          Après un passage dans la file, <strong>Terminer</strong> ouvre le formulaire déjà rempli (canal, heure, durée, motif). Le curseur est dans le formulaire :
          cochez le ou les domaines de la demande, puis <strong>Enregistrer le contact</strong> (ou <K>Ctrl</K> + <K>Entrée</K>). Le bouton reste visible en bas du
          formulaire ; <K>Échap</K> ferme sans enregistrer.
        </>,
        <>
          Un appel téléphonique, d’où que vous soyez : <K>Alt</K> + <K>T</K>, puis la touche du domaine (1, 2, 3… en haut du clavier ou sur le pavé numérique, sans
          Maj). Le contact est noté aussitôt ; <strong>Compléter</strong> permet d’ajouter le reste. La touche Entrée seule ne note rien : il faut choisir un domaine.
          Un courriel : <K>Alt</K> + <K>E</K>.
        </>,
        <>
          Avec l’accord de la personne, <strong>Reconnaître la personne</strong> (nom, prénom, date de naissance) permet de compter les personnes distinctes : ni le
          nom ni la date ne sont gardés, seulement une clé anonyme.
        </>,
      ])}
      {p(
        'La note de suivi n’est visible que par vous et la coordination ; elle est effacée après la durée de conservation. N’y écrivez que ce qui est utile au suivi.',
      )}
    </>
  ),
};

const SECTION_CORRECT: GuideSection = {
  id: 'corriger',
  title: 'Corriger ou annuler un contact',
  body: (
    <>
      {points([
        <>
          Dans <strong>Contacts</strong>, <strong>Corriger</strong> modifie un contact ; <strong>Détail</strong> montre l’historique des corrections. Vous corrigez
          vos propres contacts le jour même ; ensuite, adressez-vous à la coordination.
        </>,
        <>
          <strong>Annuler</strong> retire un contact enregistré par erreur (noté deux fois, rattaché au mauvais passage, appel perdu, essai). Choisissez la raison et
          confirmez : le contact sort de tous les comptes (contacts du jour, statistiques, rapports) et l’annulation est inscrite au journal. Si le contact venait
          d’un passage de la file, le passage peut être enregistré à nouveau. Une annulation ne se défait pas.
        </>,
        'L’auteur d’un contact peut l’annuler le jour même ; la coordination, jusqu’à la clôture de la journée.',
      ])}
    </>
  ),
};

const SECTION_HANDOFF: GuideSection = {
  id: 'relais',
  title: 'Passer le relais à une institution',
  body: (
    <>
      {p(
        'Un passage de relais, c’est s’assurer qu’un professionnel prend la personne en charge, sans qu’elle ait à tout raconter de nouveau. Il se fait depuis un ticket de la file (menu ⋯ › Passage de relais…), depuis un contact (Détail) ou depuis la page Passages de relais.',
      )}
      {steps([
        'Choisissez l’institution (et, si vous le savez, l’équipe ou la personne dans l’annuaire), les domaines et l’urgence.',
        <>
          Choisissez <strong>avec la personne</strong> comment elle veut être mise en relation : accompagnée au bureau maintenant, appel ensemble maintenant,
          rendez-vous pris maintenant (date, heure et lieu), ou rappel par le service.
        </>,
        <>
          Cochez ce qu’elle <strong>accepte de transmettre</strong> (nom, téléphone, résumé, documents) seulement si elle est d’accord. Sans accord, le service voit
          seulement : « Une personne attend à l’accueil pour le CDAS (logement) ».
        </>,
        'Envoyez. Vous êtes prévenu·e dès que le service prend en charge, décline (avec le motif, et vous pouvez réorienter) ou laisse expirer le relais.',
      ])}
      {p(
        'Fait depuis un ticket, le relais termine le passage dans la file : la personne est comptée comme reçue (relayée). Si elle part tout de suite au bureau du service, son ticket passe dans la file de ce service.',
      )}
      {p('L’onglet « Envoyés aujourd’hui » montre vos relais et leur état en direct.')}
    </>
  ),
};

const SECTION_STATS: GuideSection = {
  id: 'statistiques',
  title: 'Lire les statistiques',
  body: (
    <>
      {points([
        <>
          <strong>Statistiques › Aujourd’hui</strong> : arrivées par heure, personnes en attente, attente médiane, départs sans être reçu, contacts par canal et par
          domaine, relais. Les chiffres se mettent à jour en direct.
        </>,
        'Chaque chiffre a sa « définition » (ce qui est compté, l’unité, la période) : cliquez sur le lien à côté du chiffre.',
        'Les nombres s’écrivent à la française (4 528 ; 12,5 %), les durées en heures et minutes (1 h 05).',
      ])}
    </>
  ),
};

const SECTION_SHORTCUTS = (forReception: boolean): GuideSection => ({
  id: 'raccourcis',
  title: 'Raccourcis clavier',
  body: (
    <>
      {p('Les raccourcis marchent sur un clavier AZERTY comme QWERTY, même quand le curseur est dans un champ.')}
      <ShortcutsTable forReception={forReception} />
    </>
  ),
});

const RECEPTION: Guide = {
  slug: 'accueil',
  role: 'agent_accueil',
  title: 'Guide de l’agent d’accueil',
  intro: p(
    'Accueillir chaque personne, l’orienter ou passer le relais, et noter chaque contact : voici comment faire chaque geste de la journée, le plus souvent au clavier.',
  ),
  sections: [
    SECTION_SIGN_IN,
    {
      id: 'poste',
      title: 'Choisir mon poste',
      body: (
        <>
          {p(
            'Au premier passage sur la File d’attente, l’application vous demande à quel guichet ou bureau vous êtes (« Mon poste »). Ce choix est gardé sur cet ordinateur ; il s’affiche sur l’écran de la salle d’attente quand vous appelez quelqu’un.',
          )}
          {p('Le bandeau « Mon poste », en haut de la file, montre les personnes que vous servez et leurs boutons, toujours visibles.')}
        </>
      ),
    },
    {
      id: 'accueillir',
      title: 'Accueillir une personne (nouvelle arrivée)',
      body: (
        <>
          {steps([
            <>
              <K>Alt</K> + <K>N</K> (ou cliquez le service) : choisissez le service avec les flèches du clavier.
            </>,
            'Si la personne le souhaite, tapez son prénom ou ses initiales (facultatif), puis le motif (facultatif).',
            <>
              <strong>Entrée</strong> : le ticket s’affiche (par exemple C-014). Annoncez-le à voix haute (« C 14 ») et sa place dans la file.
            </>,
          ])}
          {points([
            <>
              <strong>Rendez-vous, priorité, interprète ou accessibilité</strong> : ouvrez les options sous le formulaire. L’heure du rendez-vous doit être dans les
              horaires d’ouverture du site ; une heure passée depuis plus d’une heure est refusée (enregistrez alors l’arrivée sans rendez-vous).
            </>,
            'Une arrivée en dehors des horaires d’ouverture est acceptée et signalée.',
            'Les prénoms notés à l’arrivée sont effacés après la journée.',
          ])}
        </>
      ),
    },
    {
      id: 'appeler',
      title: 'Appeler, recevoir, terminer',
      body: (
        <>
          {steps([
            <>
              <strong>Appeler le suivant</strong> (<K>Alt</K> + <K>S</K>) appelle la prochaine personne du service affiché vers votre poste. L’écran de la salle
              d’attente affiche son ticket et votre poste, avec un signal sonore. Vous pouvez aussi appeler une personne précise avec son bouton{' '}
              <strong>Appeler</strong>.
            </>,
            <>
              Quand la personne arrive, recevez-la (<strong>Commencer</strong>). Si elle ne vient pas : <strong>Rappeler</strong>, puis <strong>Absent·e</strong>{' '}
              après le nombre d’appels prévu.
            </>,
            <>
              À la fin de l’entretien : <strong>Terminer</strong> ouvre le formulaire du contact. Ou, en un seul geste, <strong>Terminer et appeler le suivant</strong>
              : le contact s’ouvre et la personne suivante est appelée vers votre poste.
            </>,
          ])}
          {points([
            'Tant qu’une personne est appelée ou reçue à votre poste, l’application refuse d’en appeler une autre vers le même poste et vous le dit : terminez d’abord.',
            <>
              Menu <strong>⋯</strong> d’un ticket : passage de relais, orienter vers un autre service (avec un motif), changer l’ordre de passage (avec un motif,
              inscrit au journal), parti·e sans être reçu·e, annuler un ticket enregistré par erreur.
            </>,
            'Ordre de passage : les rendez-vous d’abord, à leur heure ; puis l’ordre d’arrivée, une priorité comptant comme quelques minutes d’attente en plus. La règle exacte est rappelée sous la file.',
            'Si deux postes agissent sur la même personne au même moment, l’un réussit et l’autre reçoit un message clair ; l’affichage se met à jour.',
          ])}
        </>
      ),
    },
    SECTION_CONTACT,
    SECTION_CORRECT,
    SECTION_HANDOFF,
    {
      id: 'fin-de-journee',
      title: 'Fin de journée',
      body: (
        <>
          {points([
            <>
              À la fermeture, <strong>Fermeture : clore la file du jour</strong> compte les personnes encore en attente comme « non reçues – fermeture ».
            </>,
            'Quand la coordination a clôturé la journée, un bandeau l’indique sur tous les postes (qui a clôturé, quand, et comment la faire rouvrir) : plus aucune arrivée ni aucun contact ne peut être noté ce jour-là.',
          ])}
        </>
      ),
    },
    SECTION_STATS,
    SECTION_ERRORS,
    SECTION_SHORTCUTS(true),
  ],
};

const PROFESSIONAL: Guide = {
  slug: 'professionnel',
  role: 'professionnel',
  title: 'Guide du professionnel et de la professionnelle',
  intro: p(
    'Vous recevez les personnes de votre institution : celles qui attendent dans la file de votre service et celles qu’on vous adresse par un passage de relais.',
  ),
  sections: [
    SECTION_SIGN_IN,
    {
      id: 'poste',
      title: 'Choisir mon bureau',
      body: p(
        'Avant d’appeler, choisissez votre bureau (« Mon poste ») : l’écran de la salle d’attente l’affiche avec le ticket appelé. Ce choix est gardé sur cet ordinateur.',
      ),
    },
    {
      id: 'file',
      title: 'Appeler les personnes de la file de votre service',
      body: (
        <>
          {p('La file montre seulement les services de votre institution.')}
          {steps([
            <>
              <strong>Appeler le suivant</strong> (<K>Alt</K> + <K>S</K>) : la personne suivante est appelée vers votre bureau.
            </>,
            <>
              Recevez-la, puis <strong>Terminer</strong> (ou <strong>Terminer et appeler le suivant</strong>) et enregistrez le contact.
            </>,
          ])}
          {p('Tant qu’une personne est appelée ou reçue dans votre bureau, l’application refuse d’en appeler une autre vers le même bureau.')}
        </>
      ),
    },
    {
      id: 'recevoir',
      title: 'Recevoir un passage de relais (À recevoir)',
      body: (
        <>
          {p(
            'Page Passages de relais, onglet « À recevoir » : en haut, ce qui attend votre réponse (les urgents d’abord, puis du plus ancien au plus récent) ; ensuite ce que vous avez pris en charge et qu’il reste à terminer ; enfin, repliés, les relais terminés ou clos des 7 derniers jours. La liste se met à jour en direct ; la date est indiquée pour tout ce qui n’est pas d’aujourd’hui.',
          )}
          {steps([
            <>
              <strong>Prendre en charge</strong> : l’émetteur·rice est prévenu·e aussitôt.
            </>,
            <>
              Ou <strong>Décliner…</strong> avec un motif (et une précision, sans nom) : l’émetteur·rice est prévenu·e et peut réorienter la personne.
            </>,
            <>
              Une fois la personne reçue : <strong>Terminer</strong>. Si elle est partie : <strong>Personne partie</strong>.
            </>,
          ])}
          {points([
            <>
              <strong>Voir les informations transmises</strong> n’apparaît que si la personne a accepté de partager des informations ; chaque consultation est
              inscrite au journal. Ces informations sont effacées après la durée de conservation.
            </>,
            'Chaque mode a son délai de réponse : au-delà, le relais apparaît « En retard », puis expire et l’émetteur·rice est prévenu·e.',
          ])}
        </>
      ),
    },
    SECTION_CONTACT,
    SECTION_CORRECT,
    SECTION_HANDOFF,
    {
      id: 'annuaire',
      title: 'L’annuaire',
      body: p(
        'Onglet « Annuaire » de la page Passages de relais : les équipes et professionnels de chaque institution du site, et les partenaires extérieurs, avec une recherche par domaine. La coordination le tient à jour.',
      ),
    },
    SECTION_ERRORS,
    SECTION_SHORTCUTS(false),
  ],
};

const COORDINATION: Guide = {
  slug: 'coordination',
  role: 'coordinateur',
  title: 'Guide de la coordination du site',
  intro: p(
    'La coordination relit les journées, corrige ce qui doit l’être, clôture les journées, règle la file et les délais, tient l’annuaire et répond aux demandes sur les données personnelles.',
  ),
  sections: [
    SECTION_SIGN_IN,
    {
      id: 'cloture',
      title: 'Clôturer la journée',
      body: (
        <>
          {steps([
            <>
              Page <strong>Clôture des journées</strong> : choisissez la journée (jj/mm/aaaa). La liste « Points à vérifier » montre les tickets jamais terminés
              (ils empêchent la clôture), les passages terminés sans contact, les relais encore ouverts et les arrivées hors horaires.
            </>,
            'Corrigez chaque point depuis la liste ; les tickets restants peuvent être clos en une fois, avec un motif.',
            'Ajoutez une remarque si besoin (incident, manque de personnel… sans nom de personne accueillie), puis Clôturer la journée.',
          ])}
          {points([
            'Clôturer aujourd’hui avant l’heure de fermeture demande une confirmation, qui dit combien de personnes attendent encore.',
            'Une journée clôturée est figée : ses chiffres et leurs définitions sont gardés, et les modifications sont refusées. Tous les postes affichent un bandeau.',
            'Rouvrir la journée demande un motif, inscrit au journal. Pensez à la clôturer de nouveau après correction.',
            'Les journées laissées ouvertes (poste éteint) sont closes automatiquement au démarrage suivant.',
          ])}
        </>
      ),
    },
    {
      id: 'contacts',
      title: 'Corriger et annuler les contacts de l’équipe',
      body: p(
        'Jusqu’à la clôture de la journée, la coordination peut corriger ou annuler n’importe quel contact du site (page Contacts, choisissez la journée ; boutons Corriger et Annuler). Chaque correction et chaque annulation est inscrite au journal.',
      ),
    },
    {
      id: 'rapports',
      title: 'Statistiques, rapports et exports',
      body: (
        <>
          {points([
            'Statistiques › Rapports et exports : semaine, mois, trimestre, année civile, année juillet–juin ou dates choisies, comparées à la période précédente et à la même période l’an dernier.',
            'Export CSV (pour Excel en français), Excel (XLSX, un onglet par tableau et un onglet Définitions) et Rapport PDF. Les fichiers ne contiennent ni nom ni texte libre, seulement des chiffres et des libellés ; les heures sont celles de Paris.',
            'La médiane et le 9e décile sont calculés sur les valeurs individuelles (rang le plus proche) ; la fonction MÉDIANE d’Excel peut donner une valeur légèrement différente.',
          ])}
        </>
      ),
    },
    {
      id: 'reglages',
      title: 'Réglages de la file et délais des relais',
      body: (
        <>
          {points([
            'Réglages de la file : services et permanences (chaque service a sa propre lettre de ticket : une lettre déjà prise est refusée), guichets et bureaux, seuils orange et rouge, règle d’absence, poids d’une priorité.',
            'Un service qui a déjà donné des tickets ne se supprime pas et garde sa lettre : décochez « Ouvert ».',
            'Délais des passages de relais : pour chaque mode, « en retard après » et « expiré après », en minutes, heures ou jours ; et la durée de conservation des informations transmises.',
          ])}
        </>
      ),
    },
    {
      id: 'annuaire',
      title: 'Tenir l’annuaire',
      body: p(
        'Passages de relais › Annuaire : ajoutez ou modifiez les équipes et professionnels du site (préférez une messagerie d’équipe et un numéro de poste aux coordonnées personnelles) et les partenaires extérieurs.',
      ),
    },
    {
      id: 'donnees',
      title: 'Données personnelles et journal',
      body: (
        <>
          {points([
            'Données personnelles : les durées de conservation, et la réponse à une personne qui demande ce que le site détient sur elle (droit d’accès) ou son effacement. La recherche et l’effacement sont inscrits au journal ; les passages restent comptés.',
            'Journal : toutes les modifications et chaque consultation d’informations personnelles, en heure de Paris, avec qui et quoi. Il ne peut être ni modifié ni effacé ; il s’exporte en CSV.',
          ])}
        </>
      ),
    },
    {
      id: 'synchronisation',
      title: 'Synchronisation',
      body: p(
        'Chaque soir, les chiffres du site partent vers la base centrale de la Ville, sans aucun nom ni texte libre. L’écran Synchronisation montre la dernière réussite, ce qui attend et permet de « Synchroniser maintenant ».',
      ),
    },
    SECTION_CONTACT,
    SECTION_HANDOFF,
    SECTION_ERRORS,
    SECTION_SHORTCUTS(true),
  ],
};

const ADMINISTRATION: Guide = {
  slug: 'administration',
  role: 'admin',
  title: 'Guide de l’administration',
  intro: p('L’administration gère les comptes, les postes du site, les sauvegardes et le lien avec le serveur central ; elle peut lire les réglages de la file et le journal.'),
  sections: [
    {
      id: 'comptes',
      title: 'Comptes',
      body: (
        <>
          {steps([
            'Comptes › Nouveau compte : nom affiché, identifiant (ex. c.martin), rôle, institution (obligatoire pour un professionnel) et un mot de passe provisoire.',
            'Transmettez le mot de passe provisoire à la personne : elle choisira le sien à la première connexion.',
          ])}
          {points([
            'Modifier : nom, rôle, institution, ou désactiver le compte (il ne peut plus se connecter ; son historique reste).',
            'Mot de passe : donne un nouveau mot de passe provisoire et ferme les sessions ouvertes de la personne.',
          ])}
        </>
      ),
    },
    {
      id: 'postes',
      title: 'Postes du site',
      body: (
        <>
          {p(
            'Quand le serveur du site est ouvert au réseau, chaque guichet ou bureau doit être appairé une fois. Cliquez « Appairer un poste » : un code à usage unique s’affiche, valable quelques minutes ; saisissez-le sur le nouveau poste, après avoir vérifié que l’empreinte du certificat affichée par le poste est la même que celle de cet écran.',
          )}
          {p('Un poste perdu ou remplacé se révoque : il ne peut plus joindre le serveur.')}
        </>
      ),
    },
    {
      id: 'sauvegardes',
      title: 'Sauvegardes',
      body: (
        <>
          {points([
            'Une copie chiffrée et vérifiée de la base est faite chaque jour (si le service informatique a activé les sauvegardes) ; « Sauvegarder maintenant » en fait une de plus.',
            'Pour revenir à une sauvegarde : « Restaurer » sur sa ligne. Tout ce qui a été saisi depuis est retiré ; la base remplacée est gardée à côté ; tout le monde doit se reconnecter. Prévenez les postes avant.',
            'Si le serveur du site ne démarre plus, c’est le service informatique qui restaure une sauvegarde.',
          ])}
        </>
      ),
    },
    {
      id: 'central',
      title: 'Serveur central',
      body: p(
        'Synchronisation › Serveur central : collez l’adresse transmise par le service informatique pour ce site, puis « Enregistrer et tester ». Elle est gardée chiffrée et n’est plus affichée. Les chiffres du site partent ensuite chaque soir, sans aucun nom.',
      ),
    },
    {
      id: 'reglages',
      title: 'Réglages de la file et journal',
      body: p(
        'L’administration peut lire et modifier les Réglages de la file (services, lettres de tickets, guichets, seuils) et les délais des relais, et consulter le Journal en heure de Paris.',
      ),
    },
    SECTION_SIGN_IN,
    SECTION_ERRORS,
  ],
};

export const GUIDES: Guide[] = [RECEPTION, PROFESSIONAL, COORDINATION, ADMINISTRATION];

export function guideFor(role: Role): Guide {
  return GUIDES.find((g) => g.role === role) ?? RECEPTION;
}
